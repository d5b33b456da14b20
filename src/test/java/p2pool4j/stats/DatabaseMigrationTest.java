package p2pool4j.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database written by the previous release (schema 3, minute buckets only) opens with its history intact. */
class DatabaseMigrationTest {
    /** Schema 3 as released: a fixture, not the code's migration list. */
    private static final String[] SCHEMA_3 = {
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "CREATE TABLE shares (hash BLOB PRIMARY KEY, net TEXT NOT NULL, type INTEGER NOT NULL, contents BLOB NOT NULL,"
                + " absheight INTEGER NOT NULL, verified INTEGER NOT NULL DEFAULT 0, time_seen INTEGER NOT NULL)",
        "CREATE INDEX shares_by_net_height ON shares (net, absheight)",
        "CREATE TABLE addresses (net TEXT NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL, services INTEGER NOT NULL,"
                + " first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, PRIMARY KEY (net, host, port))",
        "CREATE TABLE worker_minutes (worker TEXT NOT NULL, minute INTEGER NOT NULL, work REAL NOT NULL, accepted INTEGER NOT NULL,"
                + " stale INTEGER NOT NULL, doa INTEGER NOT NULL, duplicate INTEGER NOT NULL, low_difficulty INTEGER NOT NULL,"
                + " other_rejected INTEGER NOT NULL, shares INTEGER NOT NULL, best_difficulty REAL NOT NULL, last_ms INTEGER NOT NULL,"
                + " PRIMARY KEY (worker, minute))",
        "CREATE TABLE workers (worker TEXT PRIMARY KEY, address TEXT NOT NULL, difficulty REAL NOT NULL, user_agent TEXT NOT NULL,"
                + " first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL)",
        "CREATE TABLE blocks (hash TEXT PRIMARY KEY, time_ms INTEGER NOT NULL, finder TEXT NOT NULL)",
        "INSERT INTO schema_version VALUES (1), (2), (3)",
    };

    private static long one(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : -1;
        }
    }

    @Test
    void schema3MinutesGetTheirHoursAndNodeWideTotals(@TempDir Path dir) throws Exception {
        long minute = 29_000_000L; // an hour boundary: 29,000,000 / 60 = 483,333.33, so two hours are touched
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE)); Statement s = c.createStatement()) {
            for (String sql : SCHEMA_3) {
                s.execute(sql);
            }
            for (int i = 0; i < 90; i++) {
                s.execute("INSERT INTO worker_minutes VALUES ('a.rig', " + (minute + i) + ", 100, 2, 1, 0, 0, 0, 0, 1, 3.5, 0)");
                s.execute("INSERT INTO worker_minutes VALUES ('b.rig', " + (minute + i) + ", 50, 1, 0, 0, 0, 0, 0, 0, 1.5, 0)");
            }
            s.execute("INSERT INTO workers VALUES ('a.rig', 'a', 1, 'cgminer', 0, 0)");
            s.execute("INSERT INTO blocks VALUES ('00ff', 123, 'a.rig')");
        }
        Database.open(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE))) {
            assertEquals(5, one(c, "SELECT MAX(version) FROM schema_version"));
            assertEquals(180, one(c, "SELECT SUM(accepted) FROM worker_hours WHERE worker = 'a.rig'"));
            assertEquals(270, one(c, "SELECT SUM(accepted) FROM worker_hours WHERE worker = ''"));
            assertEquals(270, one(c, "SELECT SUM(accepted) FROM worker_minutes WHERE worker = ''"));
            assertEquals(90, one(c, "SELECT COUNT(*) FROM worker_minutes WHERE worker = ''"));
            assertEquals(13_500, one(c, "SELECT CAST(SUM(work) AS INTEGER) FROM worker_hours WHERE worker = ''"));
            assertEquals(0, one(c, "SELECT connections FROM workers WHERE worker = 'a.rig'"));
            assertEquals(1, one(c, "SELECT COUNT(*) FROM blocks WHERE verdict = 'unknown' AND height = 0"));
        }
    }

    private static java.util.List<String> schema(Path dir) throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE)); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")) {
            while (r.next()) {
                out.add(r.getString(1) + " " + r.getString(2));
            }
        }
        return out;
    }

    /**
     * Schema 4 gained gauge_samples after it was released; a database that reached 4 before that
     * ends at the same schema as a fresh one, and never-submitted block solutions become a count.
     */
    @Test
    void anEarlySchema4DatabaseEndsAtTheCurrentSchema(@TempDir Path fresh, @TempDir Path early) throws Exception {
        Database.open(fresh).close();
        Database.open(early).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + early.resolve(Database.FILE)); Statement s = c.createStatement()) {
            // Back to schema 4 as first released: no gauge_samples, no schema-5 objects.
            s.execute("DROP TABLE gauge_samples");
            s.execute("DROP TABLE counters");
            s.execute("DROP INDEX blocks_by_time");
            s.execute("DELETE FROM schema_version WHERE version > 4");
            s.execute("INSERT INTO blocks (hash, time_ms, finder, verdict) VALUES ('aa', 1, 'w', 'accepted')");
            for (int i = 0; i < 5; i++) {
                s.execute("INSERT INTO blocks (hash, time_ms, finder, verdict) VALUES ('b" + i + "', 2, 'w',"
                        + " 'not submitted: a block on the same parent was already submitted')");
            }
        }
        Database.open(early).close();
        assertEquals(schema(fresh), schema(early));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + early.resolve(Database.FILE))) {
            assertEquals(5, one(c, "SELECT MAX(version) FROM schema_version"));
            assertEquals(1, one(c, "SELECT COUNT(*) FROM blocks"));
            assertEquals(5, one(c, "SELECT value FROM counters WHERE name = 'blocks_not_submitted'"));
        }
    }

    /** A database left at each earlier version (as that release applied it, pinned by MigrationsTest) ends at the current schema. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 4})
    void eachEarlierVersionEndsAtTheCurrentSchema(int version, @TempDir Path fresh, @TempDir Path old) throws Exception {
        Database.open(fresh).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old.resolve(Database.FILE)); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            for (int v = 1; v <= version; v++) {
                for (String sql : Migrations.ALL.get(v - 1)) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO schema_version VALUES (" + v + ")");
            }
        }
        Database.open(old).close();
        assertEquals(schema(fresh), schema(old));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old.resolve(Database.FILE))) {
            assertEquals(Migrations.latest(), one(c, "SELECT MAX(version) FROM schema_version"));
            assertEquals(Migrations.latest(), one(c, "SELECT COUNT(*) FROM schema_checksum"));
        }
    }
}
