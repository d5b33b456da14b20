package p2pool4j.sharechain;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import p2pool4j.bitcoin.Sha256Hash;

/** A share of the vectors' synthetic chains: only the fields the chain algorithms read. */
record SyntheticShare(Sha256Hash hash, Sha256Hash previousHash, BigInteger target, BigInteger maxTarget, long timestamp,
        String payoutKey, int donation, long desiredVersion, int version, long absheight, BigInteger abswork)
        implements ChainShare {

    static Sha256Hash hashOf(JsonNode decimal) {
        return decimal == null || decimal.isNull() ? null : Sha256Hash.fromBigInteger(new BigInteger(decimal.asText()));
    }

    static SyntheticShare of(JsonNode j) {
        return new SyntheticShare(hashOf(j.get("hash")), hashOf(j.get("previous_hash")), new BigInteger(j.get("target").asText()),
                new BigInteger(j.get("max_target").asText()), j.get("timestamp").asLong(), j.get("address").asText(),
                j.get("donation").asInt(), j.get("desired_version").asLong(), 35, j.get("absheight").asLong(),
                new BigInteger(j.get("abswork").asText()));
    }

    static List<ChainShare> chain(JsonNode oldestFirst) {
        List<ChainShare> out = new ArrayList<>();
        oldestFirst.forEach(j -> out.add(of(j)));
        return out;
    }
}
