package p2pool4j.stats;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.work.SubmitEvent;
import p2pool4j.work.SubmitResult;

/**
 * Per-worker, per-minute statistics in SQLite. Events from every connection are folded into
 * in-memory minute buckets (cheap, thread-safe), and every {@value #FLUSH_MS} ms the buckets are
 * added to the database in one transaction on the database thread: a kill -9 loses at most one
 * flush interval and never corrupts the file (WAL). {@link #close()} flushes what is left.
 */
public final class StatsWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatsWriter.class);
    public static final long FLUSH_MS = 1_000;
    static final int MAX_PENDING_KEYS = 200_000;

    private record Key(String worker, long minute) {}

    private static final class Bucket {
        double work;
        long accepted;
        long stale;
        long doa;
        long duplicate;
        long lowDifficulty;
        long other;
        long shares;
        double best;
        long lastMs;
        String address = "";
        String agent = "";
        double difficulty;
    }

    private record Block(String hash, long timeMs, String finder) {}

    private final Database db;
    private Map<Key, Bucket> pending = new HashMap<>();
    private List<Block> blocks = new ArrayList<>();
    private long dropped;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "p2pool4j-stats-flush");
        t.setDaemon(true);
        return t;
    });

    public StatsWriter(Database db) {
        this.db = db;
        timer.scheduleWithFixedDelay(() -> {
            try {
                flush().join();
            } catch (RuntimeException e) {
                LOG.warn("stats flush failed: {}", e.getMessage());
            }
        }, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
    }

    /** Folds one event in; any thread. */
    public void accept(SubmitEvent e) {
        String worker = e.workerKey().isEmpty() ? "(no name)" : e.workerKey();
        Key k = new Key(worker, e.timeMillis() / 60_000);
        synchronized (this) {
            Bucket b = pending.get(k);
            if (b == null) {
                if (pending.size() >= MAX_PENDING_KEYS) {
                    dropped++;
                    return;
                }
                b = new Bucket();
                pending.put(k, b);
            }
            if (e.result().accepted()) {
                b.accepted++;
                b.work += e.difficulty() * 4294967296.0;
                b.best = Math.max(b.best, e.achievedDifficulty());
                b.difficulty = e.difficulty();
                if (e.doa()) {
                    b.doa++;
                }
            } else if (e.result() == SubmitResult.STALE) {
                b.stale++;
            } else if (e.result() == SubmitResult.DUPLICATE) {
                b.duplicate++;
            } else if (e.result() == SubmitResult.LOW_DIFFICULTY) {
                b.lowDifficulty++;
            } else {
                b.other++;
            }
            if (e.share()) {
                b.shares++;
            }
            b.lastMs = Math.max(b.lastMs, e.timeMillis());
            if (!e.address().isEmpty()) {
                b.address = e.address();
            }
            if (e.userAgent() != null && !e.userAgent().isEmpty()) {
                b.agent = e.userAgent();
            }
            if (e.block()) {
                blocks.add(new Block(e.blockHash() == null ? "unknown-" + e.timeMillis() : e.blockHash(), e.timeMillis(), worker));
            }
        }
    }

    /** Writes what has accumulated, in one transaction. */
    public CompletableFuture<Void> flush() {
        Map<Key, Bucket> batch;
        List<Block> found;
        long lost;
        synchronized (this) {
            if (pending.isEmpty() && blocks.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            batch = pending;
            found = blocks;
            lost = dropped;
            pending = new HashMap<>();
            blocks = new ArrayList<>();
            dropped = 0;
        }
        if (lost > 0) {
            LOG.warn("stats: {} events dropped (more than {} worker-minutes pending)", lost, MAX_PENDING_KEYS);
        }
        return db.transaction(c -> {
            try (PreparedStatement up = c.prepareStatement("INSERT INTO worker_minutes (worker, minute, work, accepted, stale, doa, duplicate,"
                    + " low_difficulty, other_rejected, shares, best_difficulty, last_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                    + " ON CONFLICT (worker, minute) DO UPDATE SET work = work + excluded.work, accepted = accepted + excluded.accepted,"
                    + " stale = stale + excluded.stale, doa = doa + excluded.doa, duplicate = duplicate + excluded.duplicate,"
                    + " low_difficulty = low_difficulty + excluded.low_difficulty, other_rejected = other_rejected + excluded.other_rejected,"
                    + " shares = shares + excluded.shares, best_difficulty = MAX(best_difficulty, excluded.best_difficulty),"
                    + " last_ms = MAX(last_ms, excluded.last_ms)");
                    PreparedStatement w = c.prepareStatement("INSERT INTO workers (worker, address, difficulty, user_agent, first_seen_ms,"
                            + " last_seen_ms) VALUES (?,?,?,?,?,?) ON CONFLICT (worker) DO UPDATE SET"
                            + " address = CASE WHEN excluded.address = '' THEN address ELSE excluded.address END,"
                            + " difficulty = CASE WHEN excluded.difficulty = 0 THEN difficulty ELSE excluded.difficulty END,"
                            + " user_agent = CASE WHEN excluded.user_agent = '' THEN user_agent ELSE excluded.user_agent END,"
                            + " last_seen_ms = MAX(last_seen_ms, excluded.last_seen_ms)");
                    PreparedStatement bl = c.prepareStatement("INSERT OR IGNORE INTO blocks (hash, time_ms, finder) VALUES (?,?,?)")) {
                for (Map.Entry<Key, Bucket> e : batch.entrySet()) {
                    Bucket b = e.getValue();
                    up.setString(1, e.getKey().worker());
                    up.setLong(2, e.getKey().minute());
                    up.setDouble(3, b.work);
                    up.setLong(4, b.accepted);
                    up.setLong(5, b.stale);
                    up.setLong(6, b.doa);
                    up.setLong(7, b.duplicate);
                    up.setLong(8, b.lowDifficulty);
                    up.setLong(9, b.other);
                    up.setLong(10, b.shares);
                    up.setDouble(11, b.best);
                    up.setLong(12, b.lastMs);
                    up.addBatch();
                    w.setString(1, e.getKey().worker());
                    w.setString(2, b.address);
                    w.setDouble(3, b.difficulty);
                    w.setString(4, b.agent);
                    w.setLong(5, b.lastMs);
                    w.setLong(6, b.lastMs);
                    w.addBatch();
                }
                up.executeBatch();
                w.executeBatch();
                for (Block b : found) {
                    bl.setString(1, b.hash());
                    bl.setLong(2, b.timeMs());
                    bl.setString(3, b.finder());
                    bl.addBatch();
                }
                bl.executeBatch();
            }
            return null;
        });
    }

    /** Stops the timer and writes everything still pending (SIGTERM path). */
    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            flush().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("final stats flush failed: {}", e.toString());
        }
    }
}
