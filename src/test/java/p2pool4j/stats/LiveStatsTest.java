package p2pool4j.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import p2pool4j.work.SubmitEvent;
import p2pool4j.work.SubmitResult;

class LiveStatsTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final double DIFF1_WORK = 4294967296.0;

    private static SubmitEvent accepted(String worker, double diff, boolean doa, long t) {
        return new SubmitEvent(worker, "addr", diff, SubmitResult.ACCEPTED, false, false, doa, diff, "ua", t);
    }

    @Test
    void aRigAtOneShareASecondShowsItsWorkOverTheLastTenMinutesInABoundedWindow() {
        AtomicLong now = new AtomicLong(T0);
        LiveStats stats = new LiveStats(now::get);
        for (int s = 0; s < 1_200; s++) {
            now.set(T0 + s * 1000L + 500);
            stats.accept(accepted("rig", 1.0, s % 4 == 0, now.get()));
            assertTrue(stats.windowEntries("rig") <= 61, "window entries at " + s + " s: " + stats.windowEntries("rig"));
        }
        now.set(T0 + 1_200_000);
        LiveStats.WorkerSnapshot w = stats.workers().get(0);
        // 600 shares of difficulty 1 in the 600 s the window spans; a quarter of them dead.
        assertEquals(DIFF1_WORK, w.hashrate(), 1e-6 * DIFF1_WORK);
        assertEquals(DIFF1_WORK / 4, w.deadHashrate(), 1e-6 * DIFF1_WORK);
        assertEquals(1_200, w.accepted());
    }

    @Test
    void beforeTenMinutesTheRateIsOverTheTimeSinceStart() {
        AtomicLong now = new AtomicLong(T0);
        LiveStats stats = new LiveStats(now::get);
        stats.accept(accepted("rig", 30.0, false, T0 + 1_000));
        stats.accept(accepted("rig", 30.0, false, T0 + 25_000));
        now.set(T0 + 60_000);
        assertEquals(60 * DIFF1_WORK / 60, stats.workers().get(0).hashrate(), 1e-6 * DIFF1_WORK);
    }

    @Test
    void workOlderThanTheWindowNoLongerCounts() {
        AtomicLong now = new AtomicLong(T0);
        LiveStats stats = new LiveStats(now::get);
        stats.accept(accepted("rig", 600.0, false, T0 + 5_000));
        now.set(T0 + 700_000);
        assertEquals(0.0, stats.workers().get(0).hashrate());
        assertEquals(1, stats.workers().get(0).accepted());
    }
}
