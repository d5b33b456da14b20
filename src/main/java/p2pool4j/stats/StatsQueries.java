package p2pool4j.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import p2pool4j.work.FoundBlock;

/**
 * Reads of the statistics for the web API. Every query runs on the database thread; the history
 * query reads minute buckets where they still exist and hour buckets before that.
 */
public final class StatsQueries {
    /** Sums of one time slot of a worker's history (or of all workers when the worker is null). */
    public record Point(long startMs, long widthMs, double work, long accepted, long stale, long doa, long duplicate,
            long lowDifficulty, long otherRejected, long shares, double bestDifficulty) {
        /** Hashes per second over the slot. */
        public double hashrate() {
            return work / (widthMs / 1000.0);
        }
    }

    /** A worker as stored, with its totals over the queried period. */
    /** @param lastAcceptedMs the start of the last hour with an accepted submit (hour-granular; 0 if none in the period) */
    public record WorkerRow(String worker, String address, double difficulty, String userAgent, int connections, long firstSeenMs,
            long lastSeenMs, Point totals, long lastAcceptedMs) {}

    private static final String SUMS = "SUM(work), SUM(accepted), SUM(stale), SUM(doa), SUM(duplicate), SUM(low_difficulty),"
            + " SUM(other_rejected), SUM(shares), MAX(best_difficulty)";

    private final Database db;

    public StatsQueries(Database db) {
        this.db = db;
    }

    /**
     * {@code slots} consecutive slots of {@code slotMs} ending at {@code toMs} (exclusive), oldest
     * first, empty slots included, for one worker or (null) the node-wide totals. The last 47
     * whole hours are read from minute buckets, anything older from hour buckets, whose sums are
     * spread evenly over a slot narrower than an hour (the API says so: resolution drops to one
     * hour after 48 h).
     */
    public CompletableFuture<List<Point>> history(String worker, long toMs, long slotMs, int slots) {
        return history(worker, toMs, slotMs, slots, toMs);
    }

    /** As above; the slot holding {@code nowMs} is only as wide as the time already elapsed in it, so its rate is not diluted. */
    public CompletableFuture<List<Point>> history(String worker, long toMs, long slotMs, int slots, long nowMs) {
        String who = worker == null ? StatsWriter.ALL : worker;
        return db.read(c -> {
            double[][] acc = new double[slots][10];
            read(c, w -> acc, who, toMs, slotMs, slots, nowMs);
            return points(acc, toMs, slotMs, nowMs);
        });
    }

    /**
     * The history of every worker at once (the reference's per-miner graphs), at most
     * {@code maxWorkers} of them (the first by name; the rest are left out).
     */
    public CompletableFuture<java.util.Map<String, List<Point>>> historyPerWorker(long toMs, long slotMs, int slots, long nowMs,
            int maxWorkers) {
        return db.read(c -> {
            java.util.Map<String, double[][]> accs = new java.util.TreeMap<>();
            read(c, w -> accs.size() < maxWorkers || accs.containsKey(w) ? accs.computeIfAbsent(w, k -> new double[slots][10]) : null,
                    null, toMs, slotMs, slots, nowMs);
            java.util.Map<String, List<Point>> out = new java.util.TreeMap<>();
            accs.forEach((w, acc) -> out.put(w, points(acc, toMs, slotMs, nowMs)));
            return out;
        });
    }

    private static List<Point> points(double[][] acc, long toMs, long slotMs, long nowMs) {
        int slots = acc.length;
        long fromMs = toMs - slotMs * slots;
        List<Point> out = new ArrayList<>(slots);
        for (int i = 0; i < slots; i++) {
            double[] a = acc[i];
            long start = fromMs + i * slotMs;
            long width = start + slotMs > nowMs ? Math.max(1_000, Math.min(slotMs, nowMs - start)) : slotMs;
            out.add(new Point(start, width, a[0], (long) a[1], (long) a[2], (long) a[3], (long) a[4], (long) a[5], (long) a[6], (long) a[7],
                    a[8]));
        }
        return out;
    }

    /** Reads the last 47 whole hours from minute buckets, anything older from hour buckets. */
    private static void read(Connection c, java.util.function.Function<String, double[][]> accFor, String worker, long toMs, long slotMs,
            int slots, long nowMs) throws SQLException {
        long fromMs = toMs - slotMs * slots;
        // Minutes are deleted after 48 h; from this hour on they are surely all there.
        long minutesFrom = Math.max(fromMs, (nowMs - Rollup.MINUTES_KEPT_MS) / 3_600_000L * 3_600_000L + 3_600_000L);
        if (minutesFrom < toMs) {
            fold(c, accFor, worker, "worker_minutes", "minute", 60_000L, fromMs, minutesFrom, toMs, slotMs);
        }
        if (fromMs < minutesFrom) {
            fold(c, accFor, worker, "worker_hours", "hour", 3_600_000L, fromMs, fromMs, Math.min(minutesFrom, toMs), slotMs);
        }
    }

    /**
     * Adds the buckets of [readFrom, readTo) into the slots that start at {@code fromMs}: of one
     * worker, or of each worker (not the node-wide row) when {@code worker} is null.
     */
    private static void fold(Connection c, java.util.function.Function<String, double[][]> accFor, String worker, String table,
            String unitColumn, long unitMs, long fromMs, long readFrom, long readTo, long slotMs) throws SQLException {
        String sql = "SELECT worker, " + unitColumn + ", work, accepted, stale, doa, duplicate, low_difficulty, other_rejected, shares,"
                + " best_difficulty FROM " + table + " WHERE " + (worker == null ? "worker <> ?" : "worker = ?") + " AND " + unitColumn
                + " >= ? AND " + unitColumn + " < ?";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, worker == null ? StatsWriter.ALL : worker);
            p.setLong(2, Math.floorDiv(readFrom, unitMs));
            p.setLong(3, Math.floorDiv(readTo - 1, unitMs) + 1);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    double[][] acc = accFor.apply(r.getString(1));
                    if (acc == null) {
                        continue;
                    }
                    long start = r.getLong(2) * unitMs;
                    // A bucket may straddle slots (an hour over 15-minute slots): share it out by overlap.
                    for (long t = Math.max(start, readFrom); t < Math.min(start + unitMs, readTo);) {
                        int slot = (int) ((t - fromMs) / slotMs);
                        long slotEnd = fromMs + (slot + 1) * slotMs;
                        long end = Math.min(Math.min(start + unitMs, readTo), slotEnd);
                        double f = (double) (end - t) / unitMs;
                        double[] a = acc[slot];
                        for (int k = 0; k < 8; k++) {
                            a[k] += r.getDouble(k + 3) * f;
                        }
                        a[8] = Math.max(a[8], r.getDouble(11));
                        t = end;
                    }
                }
            }
        }
    }

    /** Every stored worker with its sums from the hour holding {@code sinceMs} on. */
    public CompletableFuture<List<WorkerRow>> workers(long sinceMs) {
        return db.read(c -> {
            // From the hour buckets (kept current by the writer): 24 rows a worker for a day, hour-granular.
            java.util.Map<String, double[]> sums = new java.util.HashMap<>();
            sumByWorker(c, sums, "SELECT worker, " + SUMS + ", MAX(CASE WHEN accepted > 0 THEN hour END) FROM worker_hours WHERE hour >= ?"
                    + " GROUP BY worker", sinceMs / 3_600_000);
            List<WorkerRow> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT worker, address, difficulty, user_agent, connections, first_seen_ms,"
                    + " last_seen_ms FROM workers ORDER BY worker"); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    double[] a = sums.getOrDefault(r.getString(1), new double[10]);
                    out.add(new WorkerRow(r.getString(1), r.getString(2), r.getDouble(3), r.getString(4), r.getInt(5), r.getLong(6),
                            r.getLong(7), new Point(sinceMs, 0, a[0], (long) a[1], (long) a[2], (long) a[3], (long) a[4], (long) a[5],
                                    (long) a[6], (long) a[7], a[8]), (long) a[9] * 3_600_000L));
                }
            }
            return out;
        });
    }

    private static void sumByWorker(Connection c, java.util.Map<String, double[]> sums, String sql, long since) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setLong(1, since);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    double[] a = sums.computeIfAbsent(r.getString(1), k -> new double[10]);
                    for (int k = 0; k < 8; k++) {
                        a[k] += r.getDouble(k + 2);
                    }
                    a[8] = Math.max(a[8], r.getDouble(10));
                    if (r.getMetaData().getColumnCount() >= 11) {
                        a[9] = Math.max(a[9], r.getDouble(11)); // NULL reads as 0: no accepted submit
                    }
                }
            }
        }
    }

    /** Found blocks, newest first. */
    public CompletableFuture<List<FoundBlock>> blocks(int limit) {
        return blocks(limit, Long.MAX_VALUE);
    }

    /** A page of found blocks, newest first, found before {@code beforeMs} (keyset paging on the time index). */
    public CompletableFuture<List<FoundBlock>> blocks(int limit, long beforeMs) {
        return db.read(c -> {
            List<FoundBlock> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT hash, height, reward, finder, time_ms, share_hash, verdict FROM blocks"
                    + " WHERE time_ms < ? ORDER BY time_ms DESC LIMIT ?")) {
                p.setLong(1, beforeMs);
                p.setInt(2, limit);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new FoundBlock(r.getString(1), r.getLong(2), r.getLong(3), r.getString(4), r.getLong(5), r.getString(6),
                                r.getString(7)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Found blocks by outcome: accepted, rejected (bitcoind refused), not_delivered, pending,
     * and not_submitted (solutions on a parent that already had a block of ours: counted, not stored).
     */
    public CompletableFuture<java.util.Map<String, Long>> blockSummary() {
        return db.read(c -> {
            java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT SUM(verdict = 'accepted'), SUM(verdict LIKE 'rejected%'),"
                    + " SUM(verdict LIKE 'not delivered%'), SUM(verdict = 'pending') FROM blocks");
                    ResultSet r = p.executeQuery()) {
                r.next();
                out.put("accepted", r.getLong(1));
                out.put("rejected", r.getLong(2));
                out.put("not_delivered", r.getLong(3));
                out.put("pending", r.getLong(4));
            }
            try (PreparedStatement p = c.prepareStatement("SELECT value FROM counters WHERE name = 'blocks_not_submitted'");
                    ResultSet r = p.executeQuery()) {
                out.put("not_submitted", r.next() ? r.getLong(1) : 0L);
            }
            return out;
        });
    }

    /** Our shares by status since {@code sinceMs}: pending, in_chain, orphan, dead. */
    public CompletableFuture<java.util.Map<String, Long>> ourShares(long sinceMs, String worker) {
        return db.read(c -> {
            java.util.Map<String, Long> out = new java.util.TreeMap<>();
            for (String s : List.of("pending", "in_chain", "orphan", "dead")) {
                out.put(s, 0L);
            }
            try (PreparedStatement p = c.prepareStatement("SELECT status, COUNT(*) FROM our_shares WHERE time_ms >= ?"
                    + (worker == null ? "" : " AND worker = ?") + " GROUP BY status")) {
                p.setLong(1, sinceMs);
                if (worker != null) {
                    p.setString(2, worker);
                }
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), r.getLong(2));
                    }
                }
            }
            return out;
        });
    }
}
