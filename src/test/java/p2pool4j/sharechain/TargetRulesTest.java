package p2pool4j.sharechain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Targets;
import p2pool4j.testutil.Vectors;

/** Section 9: target regulation and the derived share_info fields, against share_target.json (mainnet constants). */
class TargetRulesTest {
    private static long timestamp(String formula, int i) {
        String[] parts = formula.split("\\+");
        long t = Long.parseLong(parts[0].strip());
        if (parts.length > 1) {
            t += Long.parseLong(parts[1].strip().split("\\*")[0].strip()) * i;
        }
        return t;
    }

    static MemoryChain chainOf(JsonNode c) {
        JsonNode rule = c.get("chain_rule");
        List<ChainShare> shares = new ArrayList<>();
        Sha256Hash prev = null;
        BigInteger abswork = BigInteger.ZERO;
        for (int i = 0; i < c.get("chain_length").asInt(); i++) {
            BigInteger mt = new BigInteger((rule.has("max_target") ? rule.get("max_target")
                    : rule.get(i % 2 == 0 ? "max_target_even_i" : "max_target_odd_i")).asText());
            Sha256Hash h = Hashes.hash256(("fake share " + i).getBytes(StandardCharsets.US_ASCII));
            abswork = abswork.add(Targets.attempts(mt));
            shares.add(new SyntheticShare(h, prev, mt, mt, timestamp(rule.get("timestamp").asText(), i),
                    "1289LcAdK2gDDGNajMKMv68bAtHeW4E2XB", 0, 35, 35, i + 1, abswork));
            prev = h;
        }
        return new MemoryChain(shares);
    }

    @Test
    void everyScenario() {
        int n = 0;
        for (JsonNode c : Vectors.load("share_target.json").get("cases")) {
            MemoryChain chain = chainOf(c);
            JsonNode ps = c.get("previous_share");
            Sha256Hash parent = SyntheticShare.hashOf(ps.get("hash"));
            String at = c.get("desc").asText();
            assertEquals(new BigInteger(ps.get("abswork").asText()), chain.get(parent).abswork(), at);
            TargetRules.Regulation reg = TargetRules.regulation(P2poolNetwork.MAIN, chain, parent);
            JsonNode im = c.get("intermediate");
            if (im.hasNonNull("pre_target3")) {
                assertEquals(new BigInteger(im.get("pre_target3").asText()), reg.pre3(), at);
            }
            if (im.hasNonNull("min_work_sum")) {
                assertEquals(new BigInteger(im.get("min_work_sum").asText()), reg.minWorkSum(), at);
                assertEquals(im.get("time_span").asLong(), reg.timeSpan(), at);
                assertEquals(new BigInteger(im.get("pre_target").asText()), reg.pre(), at);
                assertEquals(new BigInteger(im.get("pre_target2").asText()), reg.pre2(), at);
            }
            for (JsonNode r : c.get("results")) {
                TargetRules.Derived d = TargetRules.derive(P2poolNetwork.MAIN, ShareVersion.V35, chain, parent,
                        new BigInteger(r.get("desired_target").asText()), r.get("desired_timestamp").asLong());
                assertEquals(r.get("max_bits_hex").asText(), String.format("%08x", d.maxBits()), at);
                assertEquals(r.get("bits_hex").asText(), String.format("%08x", d.bits()), at);
                assertEquals(r.get("timestamp").asLong(), d.timestamp(), at);
                assertEquals(r.get("absheight").asLong(), d.absheight(), at);
                assertEquals(new BigInteger(r.get("abswork").asText()), d.abswork(), at);
                assertEquals(SyntheticShare.hashOf(r.get("far_share_hash")), d.farShareHash(), at);
                n++;
            }
        }
        assertEquals(30, n);
    }

    @Test
    void v17ClampsTheTimestampToTwoSharePeriods() {
        MemoryChain chain = new MemoryChain(List.of(new SyntheticShare(Sha256Hash.fromBigInteger(BigInteger.TEN), null,
                P2poolNetwork.REGTEST.maxTarget(), P2poolNetwork.REGTEST.maxTarget(), 1000, "k", 0, 35, 17, 1, BigInteger.ONE)));
        Sha256Hash p = Sha256Hash.fromBigInteger(BigInteger.TEN);
        BigInteger t = P2poolNetwork.REGTEST.maxTarget();
        assertEquals(1059, TargetRules.derive(P2poolNetwork.REGTEST, ShareVersion.V17, chain, p, t, 5000).timestamp());
        assertEquals(1001, TargetRules.derive(P2poolNetwork.REGTEST, ShareVersion.V17, chain, p, t, 10).timestamp());
        assertEquals(5000, TargetRules.derive(P2poolNetwork.REGTEST, ShareVersion.V34, chain, p, t, 5000).timestamp());
        assertEquals(1001, TargetRules.derive(P2poolNetwork.REGTEST, ShareVersion.V35, chain, p, t, 10).timestamp());
    }
}
