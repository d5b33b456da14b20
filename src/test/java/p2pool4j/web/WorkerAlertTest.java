package p2pool4j.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A rig that submits while nothing is accepted is flagged; a healthy or an idle one is not. */
class WorkerAlertTest {
    private static final long NOW = 1_800_000_000_000L;

    private static JsonObject worker(long lastSubmitAgo, Long lastAcceptedAgo) {
        return new JsonObject().put("last_submit_ms", NOW - lastSubmitAgo).put("last_share_ms", lastAcceptedAgo == null ? 0L : NOW - lastAcceptedAgo)
                .put("stale", 130_595L).put("rejected", 3L);
    }

    @Test
    void submittingWithNothingAcceptedForFiveMinutesIsFlagged() {
        String a = ApiV1.alert(worker(4_000, 6 * 60_000L), NOW);
        assertTrue(a.startsWith("submitting, but nothing accepted for 6 min (130595 stale, 3 rejected"), a);
        assertTrue(ApiV1.alert(worker(1_000, null), NOW).contains("since it was first seen"));
    }

    @Test
    void aHealthyOrAnIdleRigIsNot() {
        assertNull(ApiV1.alert(worker(1_000, 30_000L), NOW), "accepted half a minute ago");
        assertNull(ApiV1.alert(worker(10 * 60_000, 20 * 60_000L), NOW), "not submitting at all: offline, not broken");
        assertNull(ApiV1.alert(new JsonObject().put("last_submit_ms", 0L).put("last_share_ms", 0L), NOW), "never seen");
        assertEquals(5 * 60_000L, ApiV1.NOTHING_ACCEPTED_MS);
    }
}
