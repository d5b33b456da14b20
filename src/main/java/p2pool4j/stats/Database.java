package p2pool4j.stats;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one SQLite file, through HikariCP. WAL journal so readers never wait for the writer
 * and a killed process loses at most uncommitted work; versioned migrations; an integrity check
 * at open. Every write runs on one dedicated thread ({@link #run}); the web's reads run on
 * {@value #READERS} reader threads ({@link #read}) over WAL, so a slow page never holds the
 * writer, nor a slow read the others for long. Never on an event loop.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    public static final String FILE = "p2pool4j.db";

    /** Schema versions, applied in order; never edit a released one, add a new one. */
    private static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                "CREATE TABLE shares (hash BLOB PRIMARY KEY, net TEXT NOT NULL, type INTEGER NOT NULL, contents BLOB NOT NULL,"
                        + " absheight INTEGER NOT NULL, verified INTEGER NOT NULL DEFAULT 0, time_seen INTEGER NOT NULL)",
                "CREATE INDEX shares_by_net_height ON shares (net, absheight)"),
            List.of(
                "CREATE TABLE addresses (net TEXT NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL, services INTEGER NOT NULL,"
                        + " first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, PRIMARY KEY (net, host, port))"),
            List.of(
                "CREATE TABLE worker_minutes (worker TEXT NOT NULL, minute INTEGER NOT NULL, work REAL NOT NULL, accepted INTEGER NOT NULL,"
                        + " stale INTEGER NOT NULL, doa INTEGER NOT NULL, duplicate INTEGER NOT NULL, low_difficulty INTEGER NOT NULL,"
                        + " other_rejected INTEGER NOT NULL, shares INTEGER NOT NULL, best_difficulty REAL NOT NULL, last_ms INTEGER NOT NULL,"
                        + " PRIMARY KEY (worker, minute))",
                "CREATE TABLE workers (worker TEXT PRIMARY KEY, address TEXT NOT NULL, difficulty REAL NOT NULL, user_agent TEXT NOT NULL,"
                        + " first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL)",
                "CREATE TABLE blocks (hash TEXT PRIMARY KEY, time_ms INTEGER NOT NULL, finder TEXT NOT NULL)"),
            List.of(
                // Minute buckets older than 48 h are summed into these (Rollup); same columns, hour = ms / 3,600,000.
                "CREATE TABLE worker_hours (worker TEXT NOT NULL, hour INTEGER NOT NULL, work REAL NOT NULL, accepted INTEGER NOT NULL,"
                        + " stale INTEGER NOT NULL, doa INTEGER NOT NULL, duplicate INTEGER NOT NULL, low_difficulty INTEGER NOT NULL,"
                        + " other_rejected INTEGER NOT NULL, shares INTEGER NOT NULL, best_difficulty REAL NOT NULL, last_ms INTEGER NOT NULL,"
                        + " PRIMARY KEY (worker, hour))",
                "CREATE INDEX worker_minutes_by_minute ON worker_minutes (minute)",
                "CREATE INDEX worker_hours_by_hour ON worker_hours (hour)",
                "ALTER TABLE workers ADD COLUMN connections INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE blocks ADD COLUMN height INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE blocks ADD COLUMN reward INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE blocks ADD COLUMN verdict TEXT NOT NULL DEFAULT 'pending'",
                "ALTER TABLE blocks ADD COLUMN share_hash TEXT",
                "UPDATE blocks SET verdict = 'unknown'", // found before verdicts were kept
                // Shares our miners found; status: pending, in_chain, orphan (not in the best chain), dead (DOA, not in it).
                "CREATE TABLE our_shares (hash TEXT PRIMARY KEY, worker TEXT NOT NULL, time_ms INTEGER NOT NULL, doa INTEGER NOT NULL,"
                        + " status TEXT NOT NULL DEFAULT 'pending')",
                "CREATE INDEX our_shares_by_time ON our_shares (time_ms)",
                // Schema 3 kept minutes only: give them their hour buckets and node-wide ('' worker) totals.
                "INSERT INTO worker_hours SELECT worker, minute / 60, SUM(work), SUM(accepted), SUM(stale), SUM(doa), SUM(duplicate),"
                        + " SUM(low_difficulty), SUM(other_rejected), SUM(shares), MAX(best_difficulty), MAX(last_ms) FROM worker_minutes"
                        + " GROUP BY worker, minute / 60",
                "INSERT INTO worker_minutes SELECT '', minute, SUM(work), SUM(accepted), SUM(stale), SUM(doa), SUM(duplicate),"
                        + " SUM(low_difficulty), SUM(other_rejected), SUM(shares), MAX(best_difficulty), MAX(last_ms) FROM worker_minutes"
                        + " GROUP BY minute",
                "INSERT INTO worker_hours SELECT '', hour, SUM(work), SUM(accepted), SUM(stale), SUM(doa), SUM(duplicate),"
                        + " SUM(low_difficulty), SUM(other_rejected), SUM(shares), MAX(best_difficulty), MAX(last_ms) FROM worker_hours"
                        + " GROUP BY hour",
                // Five-minute averages of the web's gauge streams (pool rates, peers, payouts), JSON {key: value}.
                "CREATE TABLE gauge_samples (stream TEXT NOT NULL, time_ms INTEGER NOT NULL, v TEXT NOT NULL, PRIMARY KEY (stream, time_ms))"),
            List.of(
                // Schema 4 grew gauge_samples after databases had reached it: those get it now.
                "CREATE TABLE IF NOT EXISTS gauge_samples (stream TEXT NOT NULL, time_ms INTEGER NOT NULL, v TEXT NOT NULL,"
                        + " PRIMARY KEY (stream, time_ms))",
                // Solutions never sent to bitcoind (a block on the same parent was) are a count, not rows: regtest made millions.
                "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
                "INSERT INTO counters SELECT 'blocks_not_submitted', COUNT(*) FROM blocks WHERE verdict LIKE 'not submitted%'",
                "DELETE FROM blocks WHERE verdict LIKE 'not submitted%'",
                "CREATE INDEX blocks_by_time ON blocks (time_ms)"));

    private final HikariDataSource pool;
    private final ExecutorService thread;
    private final ExecutorService readers = Executors.newFixedThreadPool(READERS, r -> {
        Thread th = new Thread(r, "p2pool4j-db-read");
        th.setDaemon(true);
        return th;
    });
    /** Reader threads: with the writer, within the pool's connections. */
    static final int READERS = 2;
    private final Path file;

    /** A unit of work on the database thread. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private Database(Path file, HikariDataSource pool, ExecutorService thread) {
        this.file = file;
        this.pool = pool;
        this.thread = thread;
    }

    /** Opens (creating if needed) {@code dir/p2pool4j.db}. Blocking: call at start-up, off any event loop. */
    public static Database open(Path dir) throws SQLException {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create data directory " + dir + ": " + e.getMessage(), e);
        }
        Path file = dir.resolve(FILE);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:sqlite:" + file);
        cfg.setPoolName("p2pool4j-db");
        cfg.setMaximumPoolSize(4);
        cfg.setMinimumIdle(1);
        cfg.setConnectionInitSql("PRAGMA busy_timeout=5000");
        cfg.addDataSourceProperty("journal_mode", "WAL");
        cfg.addDataSourceProperty("synchronous", "NORMAL");
        cfg.addDataSourceProperty("foreign_keys", "true");
        HikariDataSource ds = new HikariDataSource(cfg);
        ExecutorService t = Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "p2pool4j-db");
            th.setDaemon(true);
            return th;
        });
        Database db = new Database(file, ds, t);
        try (Connection c = ds.getConnection()) {
            db.check(c);
            db.migrate(c);
        } catch (SQLException e) {
            db.close();
            throw e;
        }
        return db;
    }

    public Path file() {
        return file;
    }

    private void check(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA quick_check")) {
            String result = r.next() ? r.getString(1) : "no answer";
            if (!"ok".equals(result)) {
                throw new SQLException("database " + file + " failed its integrity check: " + result);
            }
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
            if (r.next() && !"wal".equalsIgnoreCase(r.getString(1))) {
                LOG.warn("database {} is not in WAL mode ({})", file, r.getString(1));
            }
        }
    }

    private void migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            int version;
            try (ResultSet r = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                version = r.next() ? r.getInt(1) : 0;
            }
            if (version > MIGRATIONS.size()) {
                throw new SQLException("database " + file + " has schema version " + version
                        + ", newer than this p2pool4j knows (" + MIGRATIONS.size() + "); upgrade p2pool4j");
            }
            for (int v = version; v < MIGRATIONS.size(); v++) {
                c.setAutoCommit(false);
                try {
                    for (String sql : MIGRATIONS.get(v)) {
                        s.execute(sql);
                    }
                    s.execute("INSERT INTO schema_version (version) VALUES (" + (v + 1) + ")");
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
                LOG.info("database {} migrated to schema version {}", file, v + 1);
            }
        }
    }

    /** Runs {@code work} on the database thread with a pooled connection. */
    public <T> CompletableFuture<T> run(Work<T> work) {
        return on(thread, work);
    }

    private <T> CompletableFuture<T> on(ExecutorService executor, Work<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection c = pool.getConnection()) {
                return work.apply(c);
            } catch (SQLException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, executor);
    }

    /** Runs a read-only query on a reader thread (WAL: it sees the last committed state, and waits for no write). */
    public <T> CompletableFuture<T> read(Work<T> work) {
        return on(readers, work);
    }

    /** Runs {@code work} in one transaction on the database thread. */
    public <T> CompletableFuture<T> transaction(Work<T> work) {
        return run(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    /** Finishes queued work, then closes the pool. */
    @Override
    public void close() {
        readers.shutdown();
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("database work still queued at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            LOG.debug("checkpoint at close failed: {}", e.getMessage());
        }
        pool.close();
    }
}
