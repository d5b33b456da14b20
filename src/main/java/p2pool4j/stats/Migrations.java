package p2pool4j.stats;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema's versions, applied in order, and the guard that a released one is never edited.
 *
 * <p>Each applied version's SHA-256 (over its statements, one per line) is kept in
 * {@code schema_checksum}; opening a database whose recorded checksum differs from this build's
 * is refused before anything is written, as Flyway's validate would. {@code MigrationsTest} pins
 * every released checksum, so an edited migration fails the build long before it meets a user's
 * database. Versions applied before checksums were kept (schema 5 and older) are recorded on the
 * next open as this build has them. Runs on the database thread at open.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /** Never edit a released entry; add a new one. */
    static final List<List<String>> ALL = List.of(
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

    private Migrations() {
    }

    /** The current schema version: the number of migrations. */
    static int latest() {
        return ALL.size();
    }

    /** SHA-256 (hex) of migration {@code version} (1-based) as this build has it. */
    static String checksum(int version) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String sql : ALL.get(version - 1)) {
                d.update(sql.getBytes(StandardCharsets.UTF_8));
                d.update((byte) '\n');
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** Checks the applied versions against this build, then applies the missing ones, each in its own transaction. */
    static void apply(Connection c, Path file) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS schema_checksum (version INTEGER PRIMARY KEY, sha256 TEXT NOT NULL)");
            int version;
            try (ResultSet r = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                version = r.next() ? r.getInt(1) : 0;
            }
            if (version > latest()) {
                throw new SQLException("database " + file + " has schema version " + version
                        + ", newer than this p2pool4j knows (" + latest() + "); upgrade p2pool4j");
            }
            validate(c, file, version);
            for (int v = version + 1; v <= latest(); v++) {
                c.setAutoCommit(false);
                try {
                    for (String sql : ALL.get(v - 1)) {
                        s.execute(sql);
                    }
                    s.execute("INSERT INTO schema_version (version) VALUES (" + v + ")");
                    record(c, v);
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
                LOG.info("database {} migrated to schema version {}", file, v);
            }
        }
    }

    private static void validate(Connection c, Path file, int applied) throws SQLException {
        for (int v = 1; v <= applied; v++) {
            String stored = null;
            try (PreparedStatement q = c.prepareStatement("SELECT sha256 FROM schema_checksum WHERE version = ?")) {
                q.setInt(1, v);
                try (ResultSet r = q.executeQuery()) {
                    if (r.next()) {
                        stored = r.getString(1);
                    }
                }
            }
            if (stored == null) {
                record(c, v);
            } else if (!stored.equals(checksum(v))) {
                throw new SQLException("database " + file + " applied schema migration " + v + " with checksum " + stored
                        + ", but this p2pool4j's migration " + v + " has " + checksum(v)
                        + ": a released migration was edited; refusing to open the database (it is unchanged)");
            }
        }
    }

    private static void record(Connection c, int version) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("INSERT OR REPLACE INTO schema_checksum (version, sha256) VALUES (?, ?)")) {
            u.setInt(1, version);
            u.setString(2, checksum(version));
            u.executeUpdate();
        }
    }
}
