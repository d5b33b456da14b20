package p2pool4j.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import p2pool4j.testutil.Vectors;

/** Section 1 of the protocol spec: primitive encodings, against primitives.json. */
class PrimitivesTest {
    private static final JsonNode V = Vectors.load("primitives.json");

    private static int uintBytes(String type) {
        return Integer.parseInt(type.substring(3, type.indexOf('_'))) / 8;
    }

    @Test
    void everyIntegerVarintAndStringCaseRoundTrips() {
        int checked = 0;
        for (JsonNode c : V.get("cases")) {
            String type = c.get("type").asText();
            byte[] hex = Hex.decode(c.get("hex").asText());
            ByteWriter w = new ByteWriter();
            ByteReader r = new ByteReader(hex);
            switch (type) {
                case "varint" -> {
                    long v = new BigInteger(c.get("value").asText()).longValue();
                    w.varint(v);
                    assertEquals(Long.toUnsignedString(r.varint()), c.get("unpacked").asText());
                }
                case "var_str" -> {
                    byte[] v = Hex.decode(c.get("value").asText());
                    w.varStr(v);
                    assertArrayEquals(v, r.varStr(1000));
                }
                case "int8_le", "int16_le", "int32_le", "int64_le", "int128_le", "int160_le", "int256_le" -> {
                    BigInteger v = new BigInteger(c.get("value").asText());
                    w.uintLE(v, uintBytes(type));
                    assertEquals(v, r.uintLE(uintBytes(type)));
                }
                case "int16_be" -> {
                    int v = Integer.parseInt(c.get("value").asText());
                    w.u16be(v);
                    assertEquals(v, r.u16be());
                }
                case "possibly_none_u256" -> {
                    JsonNode v = c.get("value");
                    Sha256Hash h = v.isNull() ? Sha256Hash.ZERO : Sha256Hash.fromBigInteger(new BigInteger(v.asText()));
                    w.hash(h);
                    Sha256Hash back = r.hash();
                    assertEquals(v.isNull(), back.isZero());
                }
                case "floating_integer" -> {
                    long bits = Long.parseLong(c.get("value").get("bits").asText());
                    w.u32le(bits);
                    assertEquals(bits, r.u32le());
                    assertEquals(new BigInteger(c.get("value").get("target").asText()), Targets.fromBits(bits));
                }
                case "block_header" -> {
                    BlockHeader h = BlockHeader.parse(hex);
                    JsonNode u = c.get("unpacked");
                    assertEquals(Long.parseLong(u.get("version").asText()), h.version());
                    assertEquals(u.get("previous_block").isNull(), h.previousBlock().isZero());
                    if (!u.get("previous_block").isNull()) {
                        assertEquals(new BigInteger(u.get("previous_block").asText()), h.previousBlock().toBigInteger());
                    }
                    assertEquals(new BigInteger(u.get("merkle_root").asText()), h.merkleRoot().toBigInteger());
                    assertEquals(Long.parseLong(u.get("nonce").asText()), h.nonce());
                    assertEquals(Long.parseLong(u.get("bits").get("bits").asText()), h.bits());
                    w.bytes(h.serialize());
                    r.bytes(hex.length);
                }
                case "tx", "tx_stripped", "tx_segwit" -> {
                    Transaction tx = Transaction.parse(hex);
                    w.bytes(tx.serialize(true));
                    r.bytes(hex.length);
                    assertEquals(type.equals("tx_segwit"), tx.hasWitness());
                }
                default -> {
                    continue;
                }
            }
            assertEquals(c.get("hex").asText(), Hex.encode(w.toByteArray()), c.get("desc").asText());
            assertTrue(r.atEnd(), c.get("desc").asText());
            checked++;
        }
        assertTrue(checked >= 55, "checked " + checked);
    }

    @Test
    void segwitTransactionIdsHashTheRightForm() {
        for (JsonNode c : V.get("cases")) {
            if (c.get("type").asText().equals("tx_segwit")) {
                Transaction tx = Transaction.parse(Hex.decode(c.get("hex").asText()));
                assertEquals(V.get("txid_of_tx_segwit").asText(), tx.txid().toDisplayHex());
                assertEquals(V.get("wtxid_of_tx_segwit").asText(), tx.wtxid().toDisplayHex());
            }
        }
    }

    @Test
    void nonCanonicalVarintsAreRejected() {
        assertThrows(ParseException.class, () -> new ByteReader(Hex.decode("fd0500")).varint());
        assertThrows(ParseException.class, () -> new ByteReader(Hex.decode("fe00010000")).varint());
        assertEquals(0x100000000L, new ByteReader(Hex.decode("ff0000000001000000")).varint());
        assertThrows(ParseException.class, () -> new ByteReader(Hex.decode("ffffffff0000000000")).varint());
    }

    @Test
    void truncatedAndOversizedInputIsRejectedBeforeAllocation() {
        assertThrows(ParseException.class, () -> new ByteReader(new byte[3]).u32le());
        // A var_str claiming 4 GB in a 10-byte message: rejected by the limit, nothing allocated.
        assertThrows(ParseException.class, () -> new ByteReader(Hex.decode("feffffffff0000")).varStr(1 << 20));
        // A list claiming 2^32 hashes: rejected against what is left.
        assertThrows(ParseException.class, () -> new ByteReader(Hex.decode("feffffffff00")).count(32, Integer.MAX_VALUE));
        assertThrows(ParseException.class, () -> Transaction.parse(Hex.decode("01000000fdffff")));
        assertThrows(ParseException.class, () -> Transaction.parse(Hex.decode("010000000000")));
        ByteReader r = new ByteReader(Hex.decode("0102"));
        r.u8();
        assertThrows(ParseException.class, () -> r.expectEnd("x"));
    }

    @Test
    void writersRejectValuesOutsideTheirRange() {
        assertThrows(IllegalArgumentException.class, () -> new ByteWriter().u8(256));
        assertThrows(IllegalArgumentException.class, () -> new ByteWriter().u32le(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new ByteWriter().uintLE(BigInteger.ONE.shiftLeft(160), 20));
    }

    @Test
    void hexFromCharactersDecodesAsFromAString() {
        char[] text = "xx00ab7F\u0661yy".toCharArray();
        assertArrayEquals(Hex.decode("00ab7f"), Hex.decode(text, 2, 6));
        assertArrayEquals(new byte[0], Hex.decode(text, 2, 0));
        assertThrows(ParseException.class, () -> Hex.decode(text, 2, 5));
        assertThrows(ParseException.class, () -> Hex.decode(text, 0, 4));
        assertThrows(ParseException.class, () -> Hex.decode(text, 6, 4)); // ARABIC-INDIC DIGIT ONE is a digit, not a hex digit
    }
}
