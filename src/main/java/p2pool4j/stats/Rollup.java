package p2pool4j.stats;

import java.sql.PreparedStatement;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps the database small. The writer keeps hour buckets current beside the minute ones, so
 * rolling up is deleting: minute buckets older than 48 hours go (their hours stay), and hour
 * buckets, workers and our shares older than the retention go. Found blocks are kept forever:
 * there are few and they are money.
 */
public final class Rollup {
    public static final long MINUTES_KEPT_MS = 48 * 3_600_000L;

    /** What one run deleted. */
    public record Result(int minutesDeleted, int hoursDeleted, int workersDeleted, int sharesDeleted) {}

    private Rollup() {}

    public static CompletableFuture<Result> run(Database db, long nowMs, int retentionDays) {
        long cutoffMinute = (nowMs - MINUTES_KEPT_MS) / 60_000L;
        long oldestMs = nowMs - retentionDays * 86_400_000L;
        return db.transaction(c -> {
            try (PreparedStatement m = c.prepareStatement("DELETE FROM worker_minutes WHERE minute < ?");
                    PreparedStatement h = c.prepareStatement("DELETE FROM worker_hours WHERE hour < ?");
                    PreparedStatement w = c.prepareStatement("DELETE FROM workers WHERE last_seen_ms < ? AND connections = 0");
                    PreparedStatement s = c.prepareStatement("DELETE FROM our_shares WHERE time_ms < ?")) {
                m.setLong(1, cutoffMinute);
                h.setLong(1, oldestMs / 3_600_000L);
                w.setLong(1, oldestMs);
                s.setLong(1, oldestMs);
                return new Result(m.executeUpdate(), h.executeUpdate(), w.executeUpdate(), s.executeUpdate());
            }
        });
    }
}
