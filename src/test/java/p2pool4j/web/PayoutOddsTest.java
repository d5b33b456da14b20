package p2pool4j.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Time to payout, worked by hand. */
class PayoutOddsTest {
    @Test
    void aSmallRigOnABigPool() {
        // A 1 TH/s rig, 1e15 hashes a share: a share every 1,000 s.
        // Pool 1e17 H/s, blocks of 6e20 hashes: a block every 6,000 s; window min(8640 x 30, 3 x 6,000) = 18,000 s.
        JsonObject o = PayoutOdds.of(1e12, 1e15, 6e20, 1e17, 8640);
        assertEquals(1_000.0, o.getDouble("expected_time_to_share_s"), 1e-9);
        assertEquals(18_000.0, o.getDouble("pplns_window_s"), 1e-9);
        assertEquals(18.0, o.getDouble("expected_shares_in_window"), 1e-9);
        assertEquals(1 - Math.exp(-18), o.getDouble("probability_paid_by_next_block"), 1e-12);
    }

    @Test
    void theWindowIsAtMostTheChainLength() {
        // Pool blocks every 10^6 s: 3 blocks' work would be 3e6 s, but the chain keeps 8640 shares of 30 s.
        JsonObject o = PayoutOdds.of(1e9, 1e13, 1e23, 1e17, 8640);
        assertEquals(259_200.0, o.getDouble("pplns_window_s"), 1e-9);
        assertEquals(25.92, o.getDouble("expected_shares_in_window"), 1e-9);
    }

    @Test
    void noRateNoOdds() {
        JsonObject o = PayoutOdds.of(0, 1e15, 6e20, 1e17, 8640);
        assertEquals(0.0, o.getDouble("probability_paid_by_next_block"));
        assertEquals(null, o.getValue("expected_time_to_share_s"));
    }
}
