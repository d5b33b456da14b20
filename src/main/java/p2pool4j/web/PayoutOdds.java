package p2pool4j.web;

import io.vertx.core.json.JsonObject;
import p2pool4j.sharechain.P2poolNetwork;

/**
 * "Why am I not getting paid?" in numbers, at current rates (display only, doubles):
 * the expected time to a rig's next sharechain share ({@code attempts per share / rate}), the
 * PPLNS window's length in time (the shares paid by a block found now: at most SPREAD blocks'
 * worth of the pool's work, and at most CHAIN_LENGTH shares), how many shares the rig is expected
 * to have in it, and the probability it has at least one (Poisson: {@code 1 - e^-expected}), which
 * is the chance a block found now pays it anything.
 */
final class PayoutOdds {
    private PayoutOdds() {}

    /**
     * @param rate             the rig's (or node's) hashrate, H/s
     * @param attemptsPerShare hashes per sharechain share at its share difficulty
     * @param attemptsToBlock  hashes per Bitcoin block
     * @param poolRate         the pool's hashrate, H/s
     */
    static JsonObject of(double rate, double attemptsPerShare, double attemptsToBlock, double poolRate, int chainLength) {
        JsonObject o = new JsonObject();
        if (!(rate > 0) || !(attemptsPerShare > 0)) {
            return o.put("expected_time_to_share_s", null).put("pplns_window_s", null).put("expected_shares_in_window", 0.0)
                    .put("probability_paid_by_next_block", 0.0);
        }
        double window = (double) chainLength * P2poolNetwork.SHARE_PERIOD;
        if (poolRate > 0 && attemptsToBlock > 0) {
            window = Math.min(window, P2poolNetwork.SPREAD * attemptsToBlock / poolRate);
        }
        double expected = rate * window / attemptsPerShare;
        return o.put("expected_time_to_share_s", attemptsPerShare / rate).put("pplns_window_s", window)
                .put("expected_shares_in_window", expected).put("probability_paid_by_next_block", -Math.expm1(-expected));
    }
}
