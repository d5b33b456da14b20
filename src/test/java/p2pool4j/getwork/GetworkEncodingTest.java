package p2pool4j.getwork;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.BlockHeader;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Targets;
import p2pool4j.testutil.Vectors;

/** Miner spec 2.2/2.9: getwork's byte orders, against block 100000. */
class GetworkEncodingTest {
    @Test
    void block100000AsGetwork() {
        JsonNode v = Vectors.load("miner/getwork_block100000.json");
        BlockHeader h = BlockHeader.parse(Hex.decode(v.get("submit_decode").get("header_hex").asText())).withNonce(0);
        JsonObject work = GetworkService.encode(h, Targets.DIFF1);
        JsonNode r = v.get("result");
        assertEquals(r.get("data").asText(), work.getString("data"));
        assertEquals(r.get("midstate").asText(), work.getString("midstate"));
        assertEquals(r.get("hash1").asText(), work.getString("hash1"));
        assertEquals(r.get("target").asText(), work.getString("target"));
        // A submission decodes back to the solved header.
        byte[] data = Hex.decode(v.get("submit_request").get("params").get(0).asText());
        BlockHeader back = BlockHeader.parse(p2pool4j.bitcoin.WordSwap.swap4(java.util.Arrays.copyOf(data, 80)));
        assertEquals(v.get("submit_decode").get("block_hash_display").asText(), back.hash().toDisplayHex());
        assertEquals(v.get("submit_decode").get("nonce_int").asLong(), back.nonce());
    }

    @Test
    void basicAuthCarriesTheUsername() {
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString("1Example+1024:x".getBytes());
        assertEquals(1024.0, GetworkConnection.user(auth).pseudoDifficulty());
        assertEquals("", GetworkConnection.user(null).address());
        assertEquals("", GetworkConnection.user("Basic !!!").address());
    }
}
