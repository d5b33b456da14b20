package p2pool4j.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Vardiff aims at one pseudo-share per target interval, within its step and range limits. */
class VardiffTest {
    @Test
    void convergesTowardsTheTargetRate() {
        // A miner doing 1 share/s at difficulty 100 (so 100 difficulty/s), target one share per 10 s -> ~1000.
        Vardiff v = new Vardiff(100, 1, 1e9, 10, 0);
        long t = 0;
        double d = v.difficulty();
        for (int round = 0; round < 20; round++) {
            double sharesPerSecond = 100.0 / d;
            long gap = (long) (1000 / sharesPerSecond);
            for (int i = 0; i < 16; i++) {
                t += gap;
                double n = v.onShare(t);
                if (!Double.isNaN(n)) {
                    d = n;
                }
            }
        }
        assertTrue(d >= 500 && d <= 2000, "settled near 1000: " + d);
    }

    @Test
    void stepsAreBoundedAndSilenceHalves() {
        Vardiff v = new Vardiff(100, 1, 1e9, 10, 0);
        for (int i = 1; i <= 16; i++) {
            v.onShare(i); // 16 shares in 16 ms: far too easy
        }
        assertEquals(400, v.difficulty(), "x4 at most per retarget");
        assertEquals(200, v.onTick(61_000), "no share for a minute halves");
        Vardiff tiny = new Vardiff(0.00123456, 1e-9, 1e9, 10, 0);
        assertEquals(0.00123, tiny.difficulty(), 1e-12);
        assertEquals(5, new Vardiff(5.7, 1, 1e9, 10, 0).difficulty(), "integers for difficulty 1 and above");
    }
}
