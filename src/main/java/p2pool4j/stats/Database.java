package p2pool4j.stats;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
            Migrations.apply(c, file);
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

    /** Runs {@code work} on the database thread with a pooled connection. */
    public <T> CompletableFuture<T> run(Work<T> work) {
        return on(thread, c -> {
            try {
                return work.apply(c);
            } catch (SQLException | RuntimeException e) {
                writeFailed(e);
                throw e;
            }
        });
    }

    private final java.util.concurrent.atomic.AtomicLong writeErrors = new java.util.concurrent.atomic.AtomicLong();
    private volatile String writeProblem;
    private volatile long failingSinceMs;

    /**
     * Whether writes go through: a full disk (SQLITE_FULL) or an I/O error makes them fail while
     * reads and the miners go on. Logged once when it starts and once when it ends; counted in between.
     */
    public record Health(String problem, long failingSinceMs, long writeErrors) {
        public boolean writable() {
            return problem == null;
        }
    }

    public Health health() {
        return new Health(writeProblem, failingSinceMs, writeErrors.get());
    }

    /** SQLite's primary result codes for storage trouble: READONLY, IOERR, CORRUPT, FULL, CANTOPEN. */
    private static final java.util.Set<Integer> STORAGE_ERRORS = java.util.Set.of(8, 10, 11, 13, 14);

    /** Below this much usable space a failed write is put down to the full disk, whatever SQLite called it. */
    static final long LOW_SPACE_BYTES = 1 << 20;

    private void writeFailed(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean storage = e instanceof org.sqlite.SQLiteException se && STORAGE_ERRORS.contains(se.getResultCode().code & 0xff);
        long usable = usableSpace();
        if (usable >= 0 && usable < LOW_SPACE_BYTES) {
            // SQLite rolls a transaction back itself when a commit meets a full disk, and then reports only
            // "cannot commit - no transaction is active": the free space tells what happened.
            storage = true;
            message = "no space left on the datadir's disk (" + usable / 1024 + " KiB free): " + message;
        }
        if (!storage) {
            return; // not the storage's fault: the caller reports it
        }
        writeErrors.incrementAndGet();
        if (writeProblem == null) {
            failingSinceMs = System.currentTimeMillis();
            writeProblem = message;
            LOG.error("database {}: writes are failing ({}); mining goes on, stats and shares wait in memory (bounded) and are"
                    + " written when it recovers", file, writeProblem);
        }
    }

    private long usableSpace() {
        try {
            return Files.getFileStore(file.getParent()).getUsableSpace();
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private void writeSucceeded() {
        if (writeProblem != null) {
            long usable = usableSpace();
            if (usable >= 0 && usable < LOW_SPACE_BYTES) {
                return; // a small write fitted into pages SQLite had free: the disk is still full, the episode goes on
            }
            LOG.info("database {}: writes work again after {} s ({} failed writes)", file,
                    (System.currentTimeMillis() - failingSinceMs) / 1000, writeErrors.get());
            writeProblem = null;
            failingSinceMs = 0;
        }
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
                writeSucceeded();
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
