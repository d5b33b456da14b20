package p2pool4j.bitcoind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Transaction;
import p2pool4j.testutil.Vectors;

class TemplateParserTest {
    private static final String TX_HEX = Vectors.load("primitives.json").get("cases").findValues("hex").stream()
            .map(n -> n.asText()).filter(h -> h.startsWith("0100000000010100")).findFirst().orElseThrow();

    static JsonObject template() {
        return new JsonObject().put("version", 536870912).put("rules", new JsonArray().add("csv").add("!segwit").add("taproot"))
                .put("previousblockhash", "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206")
                .put("height", 1).put("bits", "207fffff").put("curtime", 1_700_000_000L).put("mintime", 1_600_000_000L)
                .put("coinbasevalue", 5_000_000_000L).put("longpollid", "abc")
                .put("coinbaseaux", new JsonObject().put("flags", "0102"))
                .put("transactions", new JsonArray().add(new JsonObject().put("data", TX_HEX).put("fee", 1000)));
    }

    @Test
    void parsesAModernTemplateIncludingTaproot() {
        Template t = TemplateParser.parse(template());
        assertEquals(1, t.height());
        assertEquals(0x207fffffL, t.bits());
        assertTrue(t.segwitActive());
        assertEquals(1, t.transactions().size());
        Transaction tx = Transaction.parse(Hex.decode(TX_HEX));
        assertEquals(tx.txid(), t.transactions().get(0).txid());
        assertEquals(tx.wtxid(), t.transactions().get(0).wtxid());
        assertEquals("0102", Hex.encode(t.coinbaseAux()));
        assertEquals(1000, t.totalFees());
    }

    @Test
    void unknownMandatoryRuleRefusesTheTemplate() {
        JsonObject j = template().put("rules", new JsonArray().add("!futurefork"));
        BitcoindException e = assertThrows(BitcoindException.class, () -> TemplateParser.parse(j));
        assertEquals(BitcoindException.Kind.INCOMPATIBLE, e.kind());
        assertTrue(e.getMessage().contains("futurefork"));
        // Unknown rules without '!' are safe to ignore (BIP9).
        TemplateParser.parse(template().put("rules", new JsonArray().add("futurefork")));
    }

    @Test
    void malformedFieldsAreTypedErrors() {
        for (JsonObject bad : new JsonObject[] {
            template().put("previousblockhash", "zz"),
            template().put("previousblockhash", 5),
            template().put("height", -1),
            template().put("height", 1.5),
            template().put("bits", "1ffffffff"),
            template().put("version", 1L << 33),
            template().put("transactions", new JsonArray().add(new JsonObject().put("data", "00"))),
            template().put("transactions", new JsonArray().add(new JsonObject().put("data", TX_HEX).put("txid", "00".repeat(32)))),
            template().put("transactions", new JsonArray().add("x")),
            template().put("rules", new JsonArray().add(1)),
        }) {
            if (bad == null) {
                continue;
            }
            BitcoindException e = assertThrows(BitcoindException.class, () -> TemplateParser.parse(bad), bad.encode());
            assertEquals(BitcoindException.Kind.BAD_RESPONSE, e.kind());
        }
        JsonObject noValue = template();
        noValue.remove("coinbasevalue");
        assertThrows(BitcoindException.class, () -> TemplateParser.parse(noValue));
        assertThrows(BitcoindException.class, () -> TemplateParser.parse("not an object"));
    }

    private static JsonObject withTx(String hex, String claimedTxid, long fee) {
        JsonObject tx = new JsonObject().put("data", hex).put("fee", fee);
        if (claimedTxid != null) {
            tx.put("txid", claimedTxid);
        }
        return template().put("transactions", new JsonArray().add(tx));
    }

    @Test
    void aTransactionThePreviousTemplateHeldIsSharedNotDecodedAgain() {
        String txid = Transaction.parse(Hex.decode(TX_HEX)).txid().toDisplayHex();
        Template first = TemplateParser.parse(withTx(TX_HEX, txid, 1000));
        Template second = TemplateParser.parse(withTx(TX_HEX.toUpperCase(java.util.Locale.ROOT), txid, 1000), first);
        assertSame(first.transactions().get(0), second.transactions().get(0));

        // A new fee for the same bytes: a new entry, the same bytes and ids.
        TemplateTx repriced = TemplateParser.parse(withTx(TX_HEX, txid, 2500), first).transactions().get(0);
        assertSame(first.transactions().get(0).data(), repriced.data());
        assertEquals(2500, repriced.fee());
        assertEquals(first.transactions().get(0).wtxid(), repriced.wtxid());

        // Without a txid to look it up by, the entry is decoded as before: equal, not shared.
        TemplateTx unnamed = TemplateParser.parse(withTx(TX_HEX, null, 1000), first).transactions().get(0);
        assertNotSame(first.transactions().get(0).data(), unnamed.data());
        assertEquals(first.transactions().get(0).txid(), unnamed.txid());
    }

    @Test
    void aKnownTxidOverOtherBytesIsStillRefused() {
        String txid = Transaction.parse(Hex.decode(TX_HEX)).txid().toDisplayHex();
        Template first = TemplateParser.parse(withTx(TX_HEX, txid, 1000));
        // One byte changed (the locktime's last): the claim names a known transaction, the bytes are not it.
        String other = TX_HEX.substring(0, TX_HEX.length() - 2) + (TX_HEX.endsWith("00") ? "01" : "00");
        BitcoindException e = assertThrows(BitcoindException.class, () -> TemplateParser.parse(withTx(other, txid, 1000), first));
        assertEquals(BitcoindException.Kind.BAD_RESPONSE, e.kind());
        assertThrows(BitcoindException.class, () -> TemplateParser.parse(withTx(TX_HEX + "0", txid, 1000), first));
        assertThrows(BitcoindException.class, () -> TemplateParser.parse(withTx("zz" + TX_HEX.substring(2), txid, 1000), first));
    }

    private static Template readRaw(String json) throws Exception {
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(json)) {
            p.nextToken();
            return TemplateParser.read(p, null);
        }
    }

    /** The answer is read as a stream; which refusal it gets does not depend on the order of its members. */
    @Test
    void theRefusalDoesNotDependOnMemberOrder() {
        String badTx = "\"transactions\":[{\"data\":\"00\"}]";
        String futureRule = "\"rules\":[\"!futurefork\"]";
        String rest = template().copy().put("rules", new JsonArray()).encode();
        rest = rest.substring(1, rest.length() - 1).replaceAll(",?\"(rules|transactions)\":\\[[^\\]]*\\]", "");
        for (String json : new String[] {"{" + badTx + "," + futureRule + "," + rest + "}", "{" + futureRule + "," + rest + "," + badTx + "}"}) {
            BitcoindException e = assertThrows(BitcoindException.class, () -> readRaw(json), json);
            assertEquals(BitcoindException.Kind.INCOMPATIBLE, e.kind(), json);
        }
    }

    /** A refused template is still read to its end, so what follows it (the JSON-RPC error member) can be read. */
    @Test
    void readingEndsExactlyAtTheTemplatesEndEvenWhenItRefusesIt() throws Exception {
        for (String t : new String[] {template().encode(), withTx("zz", null, 1).encode(), "{\"transactions\":[1,{\"a\":[{}]}],\"x\":{}}", "[]",
                "\"text\"", "null"}) {
            try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser("[" + t + ",7]")) {
                p.nextToken();
                p.nextToken();
                try {
                    TemplateParser.read(p, null);
                } catch (BitcoindException refused) {
                    // read to its end all the same
                }
                assertEquals(com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT, p.nextToken(), t);
                assertEquals(7, p.getIntValue(), t);
            }
        }
    }

    @Test
    void numbersBeyondSixtyFourBitsOrWithFractionsAreRefused() {
        for (String v : new String[] {"18446744073709551621", "1.0", "1e3", "-1", "\"5\"", "null", "[5]"}) {
            String json = template().encode().replace("\"height\":1,", "\"height\":" + v + ",");
            BitcoindException e = assertThrows(BitcoindException.class, () -> readRaw(json), v);
            assertEquals("missing or negative integer field height", e.getMessage(), v);
        }
    }
}
