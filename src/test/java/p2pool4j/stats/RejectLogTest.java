package p2pool4j.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import p2pool4j.work.SubmitResult;

/** A worker's last 100 rejects, newest first; bounded in workers too. */
class RejectLogTest {
    @Test
    void theLastHundredNewestFirst() {
        RejectLog log = new RejectLog();
        for (int i = 0; i < 250; i++) {
            log.add("rig", i % 2 == 0 ? SubmitResult.STALE : SubmitResult.LOW_DIFFICULTY, 8.0, 1_000L + i);
        }
        List<RejectLog.Reject> r = log.of("rig");
        assertEquals(RejectLog.PER_WORKER, r.size());
        assertEquals(new RejectLog.Reject(1_249, SubmitResult.LOW_DIFFICULTY, 8.0), r.get(0));
        assertEquals(new RejectLog.Reject(1_150, SubmitResult.STALE, 8.0), r.get(99));
        assertEquals(List.of(), log.of("other"));
    }

    @Test
    void onlyTheMostRecentlyRejectingWorkersKeepALog() {
        RejectLog log = new RejectLog();
        for (int w = 0; w <= RejectLog.WORKERS; w++) {
            log.add("rig" + w, SubmitResult.DUPLICATE, 1, w);
        }
        assertEquals(List.of(), log.of("rig0"), "the least recent is forgotten");
        assertEquals(1, log.of("rig" + RejectLog.WORKERS).size());
    }
}
