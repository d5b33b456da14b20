package p2pool4j.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import p2pool4j.testutil.Vectors;

/** sha256d, the resumable SHA-256 behind hash_link, merkle trees and the witness commitment (hashes.json). */
class HashesTest {
    private static final JsonNode V = Vectors.load("hashes.json");

    private static Sha256Hash h(JsonNode decimal) {
        return Sha256Hash.fromBigInteger(new BigInteger(decimal.asText()));
    }

    private static List<Sha256Hash> hashes(JsonNode arr) {
        List<Sha256Hash> out = new ArrayList<>();
        arr.forEach(n -> out.add(h(n)));
        return out;
    }

    @Test
    void sha256dDigestsAndTheirIntegerForms() {
        for (JsonNode c : V.get("sha256d")) {
            Sha256Hash d = Hashes.hash256(Hex.decode(c.get("data_hex").asText()));
            assertEquals(c.get("digest_hex").asText(), d.toWireHex());
            assertEquals(new BigInteger(c.get("hash256_int").asText()), d.toBigInteger());
            assertEquals(c.get("hash256_display_hex").asText(), d.toDisplayHex());
        }
    }

    @Test
    void midstateExportMatchesHashLinkState() {
        for (String set : List.of("hash_link", "hash_link_no_const")) {
            for (JsonNode c : V.get(set)) {
                byte[] prefix = Hex.decode(c.get("prefix_hex").asText());
                Sha256 s = new Sha256().update(prefix);
                assertEquals(c.get("state_hex").asText(), Hex.encode(s.stateBigEndian()));
                assertEquals(c.get("length").asLong(), s.byteCount());
            }
        }
    }

    @Test
    void resumingFromAMidstateGivesTheHashOfTheWholeMessage() {
        for (String set : List.of("hash_link", "hash_link_no_const")) {
            for (JsonNode c : V.get(set)) {
                byte[] prefix = Hex.decode(c.get("prefix_hex").asText());
                long length = c.get("length").asLong();
                byte[] tail = java.util.Arrays.copyOfRange(prefix, prefix.length - (int) (length % 64), prefix.length);
                Sha256 s = Sha256.resume(Hex.decode(c.get("state_hex").asText()), length, tail);
                s.update(Hex.decode(c.get("suffix_hex").asText()));
                byte[] once = s.digest();
                Sha256Hash result = Sha256Hash.wrap(Hashes.sha256(once));
                assertEquals(new BigInteger(c.get("result_int").asText()), result.toBigInteger());
            }
        }
    }

    @Test
    void ownSha256AgreesWithTheJdkAcrossBlockBoundaries() {
        for (int n = 0; n < 300; n++) {
            byte[] data = new byte[n];
            for (int i = 0; i < n; i++) {
                data[i] = (byte) (i * 31 + n);
            }
            assertArrayEquals(Hashes.sha256(data), new Sha256().update(data).digest(), "length " + n);
        }
    }

    @Test
    void merkleRootsAndBranches() {
        for (JsonNode c : V.get("merkle")) {
            List<Sha256Hash> leaves = hashes(c.get("leaves"));
            int index = c.get("index").asInt();
            assertEquals(h(c.get("root")), Merkle.root(leaves));
            List<Sha256Hash> branch = Merkle.branch(leaves, index);
            assertEquals(hashes(c.get("branch")), branch);
            assertEquals(h(c.get("root")), Merkle.fold(leaves.get(index), branch, index));
        }
        assertEquals(Sha256Hash.ZERO, Merkle.root(List.of()));
    }

    @Test
    void coinbasePlaceholderBranch() {
        JsonNode c = V.get("merkle_coinbase_placeholder");
        List<Sha256Hash> leaves = new ArrayList<>();
        leaves.add(null);
        leaves.addAll(hashes(c.get("other_tx_hashes")));
        List<Sha256Hash> branch = Merkle.branch(leaves, 0);
        assertEquals(hashes(c.get("branch")), branch);
        assertEquals(h(c.get("root_with_coinbase")), Merkle.fold(h(c.get("coinbase_txid")), branch, 0));
        JsonNode e = V.get("merkle_empty_link");
        assertEquals(h(e.get("tip")), Merkle.fold(h(e.get("tip")), List.of(), 0));
    }

    @Test
    void witnessCommitments() {
        for (JsonNode c : V.get("witness_commitment")) {
            byte[] reserved = "[P2Pool][P2Pool][P2Pool][P2Pool]".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Sha256Hash commitment = WitnessCommitment.commitment(h(c.get("wtxid_merkle_root")), reserved);
            assertEquals(new BigInteger(c.get("commitment").asText()), commitment.toBigInteger());
            assertEquals(c.get("output_script_hex").asText(), Hex.encode(WitnessCommitment.script(commitment)));
        }
        assertEquals(Sha256Hash.ZERO, WitnessCommitment.wtxidRoot(List.of()));
    }

    @Test
    void getworkMidstateIsTheStateAfterSixtyFourHeaderBytesInLittleEndianWords() {
        JsonNode g = Vectors.load("miner/getwork_block100000.json");
        byte[] header = Hex.decode(g.get("submit_decode").get("header_hex").asText());
        Sha256 s = new Sha256().update(header, 0, 64);
        assertEquals(g.get("result").get("midstate").asText(), Hex.encode(s.stateLittleEndianWords()));
    }

    @Test
    void hash160OfTheDonationPubkey() {
        byte[] script = Hex.decode(V.get("donation_script_hex").asText());
        byte[] pubkey = java.util.Arrays.copyOfRange(script, 1, 66);
        assertEquals("d03da6fca390166d020be0e7c28ac8cc70f58403", Hex.encode(Hashes.hash160(pubkey)));
        assertEquals("1Kz5QaUPDtKrj5SqW5tFkn7WZh8LmQaQi4", Address.p2pkh(Hashes.hash160(pubkey), ChainParams.MAIN).text());
        assertEquals("mzW2hdZN2um7WBvTDerdahKqRgj3md9C29", Address.p2pkh(Hashes.hash160(pubkey), ChainParams.REGTEST).text());
    }
}
