package p2pool4j.sharechain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import p2pool4j.testutil.Vectors;

/** Section 8: the exact integer PPLNS rules, against weights.json. */
class PplnsTest {
    private static final JsonNode V = Vectors.load("weights.json");

    private static Map<String, BigInteger> expected(JsonNode weights) {
        Map<String, BigInteger> m = new HashMap<>();
        weights.fields().forEachRemaining(e -> m.put(e.getKey(), new BigInteger(e.getValue().asText())));
        return m;
    }

    @Test
    void everyCase() {
        MemoryChain chain = new MemoryChain(SyntheticShare.chain(V.get("chain_oldest_first")));
        for (JsonNode c : V.get("cases")) {
            PplnsWeights w = Pplns.weights(chain, SyntheticShare.hashOf(c.get("start_hash")), c.get("max_shares").asInt(),
                    new BigInteger(c.get("desired_weight").asText()));
            String at = c.get("desc").asText();
            assertEquals(expected(c.get("weights")), w.weights(), at);
            assertEquals(new BigInteger(c.get("total_weight").asText()), w.total(), at);
            assertEquals(new BigInteger(c.get("donation_weight").asText()), w.donationWeight(), at);
            assertEquals(w.total(), w.weights().values().stream().reduce(w.donationWeight(), BigInteger::add), at);
        }
    }

    @Test
    void theCallGenerateTransactionMakes() {
        JsonNode g = V.get("generate_transaction_call");
        MemoryChain chain = new MemoryChain(SyntheticShare.chain(V.get("chain_oldest_first")));
        BigInteger desired = Pplns.desiredWeight(new BigInteger(g.get("block_target").asText()));
        assertEquals(new BigInteger(g.get("desired_weight").asText()), desired);
        ChainShare head = chain.get(SyntheticShare.hashOf(g.get("head")));
        int maxShares = Math.max(0, Math.min(chain.height(head.hash()), 8640) - 1);
        assertEquals(g.get("max_shares").asInt(), maxShares);
        PplnsWeights w = Pplns.weights(chain, head.previousHash(), maxShares, desired);
        assertEquals(new BigInteger(g.get("donation_weight").asText()), w.donationWeight());
    }
}
