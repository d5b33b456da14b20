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
import java.util.function.Supplier;
import p2pool4j.work.FoundBlock;
import p2pool4j.work.LocalShares;
import p2pool4j.work.SubmitEvent;
import p2pool4j.work.SubmitResult;

/**
 * Per-worker statistics in SQLite, in minute and hour buckets, plus the node-wide totals under the
 * worker name {@link #ALL}. Events from every connection are folded into in-memory minute buckets
 * (cheap, thread-safe), and every {@value #FLUSH_MS} ms the buckets are added to both tables in
 * one transaction on the database thread: a kill -9 loses at most one
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


    static final int MAX_PENDING_ROWS = 100_000;
    static final long ROLLUP_EVERY_MS = 10 * 60_000;

    private final Database db;
    private final int retentionDays;
    private Map<Key, Bucket> pending = new HashMap<>();
    private List<FoundBlock> blocks = new ArrayList<>();
    private List<LocalShares.Change> shares = new ArrayList<>();
    private volatile Supplier<Map<String, Integer>> connections = Map::of;
    private volatile Map<String, Integer> lastConnections = Map.of();
    private long dropped;
    private final java.util.concurrent.atomic.AtomicLong droppedTotal = new java.util.concurrent.atomic.AtomicLong();
    private long lastRollup;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "p2pool4j-stats-flush");
        t.setDaemon(true);
        return t;
    });

    public StatsWriter(Database db) {
        this(db, 90);
    }

    /** @param retentionDays per-worker history older than this is deleted at each roll-up */
    public StatsWriter(Database db, int retentionDays) {
        this.db = db;
        this.retentionDays = retentionDays;
        timer.scheduleWithFixedDelay(() -> {
            try {
                flush().join();
                long now = System.currentTimeMillis();
                if (now - lastRollup >= ROLLUP_EVERY_MS) {
                    lastRollup = now;
                    Rollup.run(db, now, retentionDays).join();
                }
            } catch (RuntimeException e) {
                if (db.health().writable()) {
                    LOG.warn("stats flush failed: {}", e.getMessage());
                } else {
                    LOG.debug("stats flush failed (storage problem already reported): {}", e.getMessage());
                }
            }
        }, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
    }

    /** The worker name under which the node-wide totals are kept (no worker can be named so: empty names become "(no name)"). */
    public static final String ALL = "";

    /** Folds one event in, for its worker and for the node-wide totals; any thread. */
    public void accept(SubmitEvent e) {
        String worker = e.workerKey().isEmpty() ? "(no name)" : e.workerKey();
        long minute = e.timeMillis() / 60_000;
        synchronized (this) {
            Bucket b = bucket(new Key(worker, minute));
            Bucket all = bucket(new Key(ALL, minute));
            if (b == null || all == null) {
                dropped++;
                droppedTotal.incrementAndGet();
                return;
            }
            fold(b, e);
            fold(all, e);
            if (!e.address().isEmpty()) {
                b.address = e.address();
            }
            if (e.userAgent() != null && !e.userAgent().isEmpty()) {
                b.agent = e.userAgent();
            }
        }
    }

    private Bucket bucket(Key k) {
        Bucket b = pending.get(k);
        if (b == null) {
            if (pending.size() >= MAX_PENDING_KEYS) {
                return null;
            }
            b = new Bucket();
            pending.put(k, b);
        }
        return b;
    }

    private static void fold(Bucket b, SubmitEvent e) {
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
    }

    /** Events dropped since start because too many worker-minutes were pending (a flood of distinct names). */
    public long droppedTotal() {
        return droppedTotal.get();
    }

    /** A found block, or its verdict (same hash, later). Any thread. */
    public synchronized void blockFound(FoundBlock b) {
        if (b.verdict().startsWith("not submitted")) {
            notSubmitted++; // a count, not a row: regtest finds dozens of these a second
        } else if (blocks.size() < MAX_PENDING_ROWS) {
            blocks.add(b);
        }
    }

    private long notSubmitted;

    /** Shares our miners put in the sharechain and where they ended up, as the node judged them. Any thread. */
    public synchronized void shareStatus(List<LocalShares.Change> changes) {
        if (shares.size() + changes.size() <= MAX_PENDING_ROWS) {
            shares.addAll(changes);
        }
    }

    /** Live connections per worker key, read at each flush (e.g. from the Stratum server). */
    public void connections(Supplier<Map<String, Integer>> source) {
        this.connections = source;
    }

    /** Writes what has accumulated, in one transaction. */
    public CompletableFuture<Void> flush() {
        Map<Key, Bucket> batch;
        List<FoundBlock> found;
        long duplicates;
        List<LocalShares.Change> ours;
        long lost;
        Map<String, Integer> conns;
        try {
            conns = Map.copyOf(connections.get());
        } catch (RuntimeException e) {
            conns = lastConnections;
        }
        boolean connsChanged = !conns.equals(lastConnections);
        synchronized (this) {
            if (pending.isEmpty() && blocks.isEmpty() && shares.isEmpty() && !connsChanged && notSubmitted == 0) {
                return CompletableFuture.completedFuture(null);
            }
            batch = pending;
            found = blocks;
            duplicates = notSubmitted;
            notSubmitted = 0;
            ours = shares;
            lost = dropped;
            pending = new HashMap<>();
            blocks = new ArrayList<>();
            shares = new ArrayList<>();
            dropped = 0;
        }
        lastConnections = conns;
        Map<String, Integer> connsNow = conns;
        boolean writeConnections = connsChanged || !batch.isEmpty(); // a worker's row may be new in this batch
        if (lost > 0) {
            LOG.warn("stats: {} events dropped (more than {} worker-minutes pending)", lost, MAX_PENDING_KEYS);
        }
        return db.<Void>transaction(c -> {
            try (PreparedStatement up = c.prepareStatement(upsert("worker_minutes", "minute"));
                    PreparedStatement hr = c.prepareStatement(upsert("worker_hours", "hour"));
                    PreparedStatement w = c.prepareStatement("INSERT INTO workers (worker, address, difficulty, user_agent, first_seen_ms,"
                            + " last_seen_ms) VALUES (?,?,?,?,?,?) ON CONFLICT (worker) DO UPDATE SET"
                            + " address = CASE WHEN excluded.address = '' THEN address ELSE excluded.address END,"
                            + " difficulty = CASE WHEN excluded.difficulty = 0 THEN difficulty ELSE excluded.difficulty END,"
                            + " user_agent = CASE WHEN excluded.user_agent = '' THEN user_agent ELSE excluded.user_agent END,"
                            + " last_seen_ms = MAX(last_seen_ms, excluded.last_seen_ms)");
                    PreparedStatement bl = c.prepareStatement("INSERT INTO blocks (hash, time_ms, finder, height, reward, verdict, share_hash)"
                            + " VALUES (?,?,?,?,?,?,?) ON CONFLICT (hash) DO UPDATE SET verdict = CASE WHEN excluded.verdict = 'pending'"
                            + " THEN verdict ELSE excluded.verdict END");
                    PreparedStatement sh = c.prepareStatement("INSERT INTO our_shares (hash, worker, time_ms, doa, status) VALUES (?,?,?,?,?)"
                            + " ON CONFLICT (hash) DO UPDATE SET status = excluded.status");
                    PreparedStatement cn = c.prepareStatement("UPDATE workers SET connections = ? WHERE worker = ?");
                    PreparedStatement ct = c.prepareStatement("INSERT INTO counters (name, value) VALUES ('blocks_not_submitted', ?)"
                            + " ON CONFLICT (name) DO UPDATE SET value = value + excluded.value")) {
                if (duplicates > 0) {
                    ct.setLong(1, duplicates);
                    ct.executeUpdate();
                }
                for (Map.Entry<Key, Bucket> e : batch.entrySet()) {
                    Bucket b = e.getValue();
                    addBucket(up, e.getKey().worker(), e.getKey().minute(), b);
                    // The hour bucket is kept current too: day-long views and the 24-hour sums read 24 rows, not 1,440.
                    addBucket(hr, e.getKey().worker(), e.getKey().minute() / 60, b);
                    if (e.getKey().worker().equals(ALL)) {
                        continue;
                    }
                    w.setString(1, e.getKey().worker());
                    w.setString(2, b.address);
                    w.setDouble(3, b.difficulty);
                    w.setString(4, b.agent);
                    w.setLong(5, b.lastMs);
                    w.setLong(6, b.lastMs);
                    w.addBatch();
                }
                up.executeBatch();
                hr.executeBatch();
                w.executeBatch();
                for (FoundBlock b : found) {
                    bl.setString(1, b.hash());
                    bl.setLong(2, b.timeMillis());
                    bl.setString(3, b.finder());
                    bl.setLong(4, b.height());
                    bl.setLong(5, b.rewardSat());
                    bl.setString(6, b.verdict());
                    bl.setString(7, b.shareHash());
                    bl.addBatch();
                }
                bl.executeBatch();
                for (LocalShares.Change o : ours) {
                    sh.setString(1, o.hash());
                    sh.setString(2, o.worker());
                    sh.setLong(3, o.timeMillis());
                    sh.setInt(4, o.doa() ? 1 : 0);
                    sh.setString(5, o.status());
                    sh.addBatch();
                }
                sh.executeBatch();
                if (writeConnections) {
                    try (java.sql.Statement clear = c.createStatement()) {
                        clear.executeUpdate("UPDATE workers SET connections = 0 WHERE connections <> 0");
                    }
                    for (Map.Entry<String, Integer> e : connsNow.entrySet()) {
                        cn.setInt(1, e.getValue());
                        cn.setString(2, e.getKey());
                        cn.addBatch();
                    }
                    cn.executeBatch();
                }
            }
            return null;
        }).whenComplete((ok, err) -> {
            if (err != null) {
                putBack(batch, found, duplicates, ours);
                lastConnections = Map.of(); // write them again next time
            }
        });
    }

    /**
     * A batch the database refused (a full disk, an I/O error) goes back in front of what came
     * since, so nothing is lost while the storage recovers; beyond the pending bounds it is counted
     * as dropped.
     */
    private synchronized void putBack(Map<Key, Bucket> batch, List<FoundBlock> found, long duplicates, List<LocalShares.Change> ours) {
        for (Map.Entry<Key, Bucket> e : batch.entrySet()) {
            Bucket now = pending.get(e.getKey());
            if (now == null) {
                if (pending.size() >= MAX_PENDING_KEYS) {
                    dropped++;
                    droppedTotal.incrementAndGet();
                    continue;
                }
                pending.put(e.getKey(), e.getValue());
            } else {
                merge(now, e.getValue());
            }
        }
        List<FoundBlock> b = new ArrayList<>(found);
        b.addAll(blocks);
        blocks = b.size() <= MAX_PENDING_ROWS ? b : new ArrayList<>(b.subList(b.size() - MAX_PENDING_ROWS, b.size()));
        List<LocalShares.Change> sh = new ArrayList<>(ours);
        sh.addAll(shares);
        shares = sh.size() <= MAX_PENDING_ROWS ? sh : new ArrayList<>(sh.subList(sh.size() - MAX_PENDING_ROWS, sh.size()));
        notSubmitted += duplicates;
    }

    /** Adds an older bucket's sums into a newer one of the same worker and minute (the newer one's address and agent win). */
    private static void merge(Bucket into, Bucket older) {
        into.work += older.work;
        into.accepted += older.accepted;
        into.stale += older.stale;
        into.doa += older.doa;
        into.duplicate += older.duplicate;
        into.lowDifficulty += older.lowDifficulty;
        into.other += older.other;
        into.shares += older.shares;
        into.best = Math.max(into.best, older.best);
        into.lastMs = Math.max(into.lastMs, older.lastMs);
        if (into.address.isEmpty()) {
            into.address = older.address;
        }
        if (into.agent.isEmpty()) {
            into.agent = older.agent;
        }
        if (into.difficulty == 0) {
            into.difficulty = older.difficulty;
        }
    }

    /** Binds one bucket to an {@link #upsert} statement and batches it. */
    private static void addBucket(PreparedStatement ps, String worker, long unit, Bucket b) throws java.sql.SQLException {
        ps.setString(1, worker);
        ps.setLong(2, unit);
        ps.setDouble(3, b.work);
        ps.setLong(4, b.accepted);
        ps.setLong(5, b.stale);
        ps.setLong(6, b.doa);
        ps.setLong(7, b.duplicate);
        ps.setLong(8, b.lowDifficulty);
        ps.setLong(9, b.other);
        ps.setLong(10, b.shares);
        ps.setDouble(11, b.best);
        ps.setLong(12, b.lastMs);
        ps.addBatch();
    }

    /** Adds a bucket's sums into the row of the same worker and time unit. */
    static String upsert(String table, String unit) {
        return "INSERT INTO " + table + " (worker, " + unit + ", work, accepted, stale, doa, duplicate, low_difficulty, other_rejected,"
                + " shares, best_difficulty, last_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (worker, " + unit + ") DO UPDATE SET work = work + excluded.work, accepted = accepted + excluded.accepted,"
                + " stale = stale + excluded.stale, doa = doa + excluded.doa, duplicate = duplicate + excluded.duplicate,"
                + " low_difficulty = low_difficulty + excluded.low_difficulty, other_rejected = other_rejected + excluded.other_rejected,"
                + " shares = shares + excluded.shares, best_difficulty = MAX(best_difficulty, excluded.best_difficulty),"
                + " last_ms = MAX(last_ms, excluded.last_ms)";
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
