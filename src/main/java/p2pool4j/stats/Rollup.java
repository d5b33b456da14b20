package p2pool4j.stats;

import java.sql.PreparedStatement;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps the database small: minute buckets older than 48 hours are summed into hour buckets
 * (whole hours only, so an hour is never split between the two tables), and history older than
 * the retention is deleted. Found blocks are kept forever: there are few and they are money.
 */
public final class Rollup {
    public static final long MINUTES_KEPT_MS = 48 * 3_600_000L;

    /** What one run did. */
    public record Result(int minutesRolledUp, int hoursDeleted, int workersDeleted, int sharesDeleted) {}

    private Rollup() {}

    public static CompletableFuture<Result> run(Database db, long nowMs, int retentionDays) {
        long cutoffHour = (nowMs - MINUTES_KEPT_MS) / 3_600_000L; // hours before this one are rolled up
        long cutoffMinute = cutoffHour * 60;
        long oldestMs = nowMs - retentionDays * 86_400_000L;
        return db.transaction(c -> {
            int rolled;
            try (PreparedStatement up = c.prepareStatement("INSERT INTO worker_hours (worker, hour, work, accepted, stale, doa, duplicate,"
                    + " low_difficulty, other_rejected, shares, best_difficulty, last_ms)"
                    + " SELECT worker, minute / 60, SUM(work), SUM(accepted), SUM(stale), SUM(doa), SUM(duplicate), SUM(low_difficulty),"
                    + " SUM(other_rejected), SUM(shares), MAX(best_difficulty), MAX(last_ms) FROM worker_minutes WHERE minute < ?"
                    + " GROUP BY worker, minute / 60 ORDER BY 1, 2"
                    + " ON CONFLICT (worker, hour) DO UPDATE SET work = work + excluded.work, accepted = accepted + excluded.accepted,"
                    + " stale = stale + excluded.stale, doa = doa + excluded.doa, duplicate = duplicate + excluded.duplicate,"
                    + " low_difficulty = low_difficulty + excluded.low_difficulty, other_rejected = other_rejected + excluded.other_rejected,"
                    + " shares = shares + excluded.shares, best_difficulty = MAX(best_difficulty, excluded.best_difficulty),"
                    + " last_ms = MAX(last_ms, excluded.last_ms)");
                    PreparedStatement del = c.prepareStatement("DELETE FROM worker_minutes WHERE minute < ?")) {
                up.setLong(1, cutoffMinute);
                up.executeUpdate();
                del.setLong(1, cutoffMinute);
                rolled = del.executeUpdate();
            }
            int hours;
            int workers;
            int shares;
            try (PreparedStatement h = c.prepareStatement("DELETE FROM worker_hours WHERE hour < ?");
                    PreparedStatement w = c.prepareStatement("DELETE FROM workers WHERE last_seen_ms < ? AND connections = 0");
                    PreparedStatement s = c.prepareStatement("DELETE FROM our_shares WHERE time_ms < ?")) {
                h.setLong(1, oldestMs / 3_600_000L);
                hours = h.executeUpdate();
                w.setLong(1, oldestMs);
                workers = w.executeUpdate();
                s.setLong(1, oldestMs);
                shares = s.executeUpdate();
            }
            return new Result(rolled, hours, workers, shares);
        });
    }
}
