package p2pool4j.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import p2pool4j.work.FoundBlock;
import p2pool4j.work.LocalShares;
import p2pool4j.work.SubmitEvent;
import p2pool4j.work.SubmitResult;

/** Per-worker minute buckets in a real SQLite file: sums, upserts across flushes, the final flush, and kill -9. */
class StatsWriterTest {
    private static SubmitEvent ev(String worker, SubmitResult r, double diff, long t, boolean block) {
        return new SubmitEvent(worker, "addr-" + worker, diff, r, false, block, false, diff * 3, "ua", t);
    }

    private static long one(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : -1;
        }
    }

    @Test
    void bucketsAddUpAcrossFlushesAndTheLastFlushHappensAtClose(@TempDir Path dir) throws Exception {
        long t = 1_700_000_000_000L;
        try (Database db = Database.open(dir); StatsWriter w = new StatsWriter(db)) {
            for (int i = 0; i < 10; i++) {
                w.accept(ev("a.rig1", SubmitResult.ACCEPTED, 2.0, t + i, false));
            }
            w.accept(ev("a.rig1", SubmitResult.STALE, 2.0, t + 20, false));
            w.accept(ev("a.rig1", SubmitResult.LOW_DIFFICULTY, 2.0, t + 21, false));
            w.flush().get();
            w.accept(ev("a.rig1", SubmitResult.ACCEPTED, 2.0, t + 30, true)); // same minute, next flush
            w.blockFound(new FoundBlock("00ab", 7, 625_000_000L, "a.rig1", t + 30, null, "pending"));
            w.flush().get();
            w.blockFound(new FoundBlock("00ab", 7, 625_000_000L, "a.rig1", t + 30, null, "rejected: bad-cb-amount"));
            w.accept(ev("b", SubmitResult.ACCEPTED, 1.0, t + 61_000, false)); // another worker, next minute
        } // close() flushes
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE))) {
            assertEquals(11, one(c, "SELECT accepted FROM worker_minutes WHERE worker = 'a.rig1'"));
            assertEquals(1, one(c, "SELECT stale FROM worker_minutes WHERE worker = 'a.rig1'"));
            assertEquals(1, one(c, "SELECT low_difficulty FROM worker_minutes WHERE worker = 'a.rig1'"));
            assertEquals(11L * 2 * 4294967296L, one(c, "SELECT CAST(work AS INTEGER) FROM worker_minutes WHERE worker = 'a.rig1'"));
            assertEquals(2, one(c, "SELECT COUNT(*) FROM workers"));
            assertEquals(1, one(c, "SELECT COUNT(*) FROM blocks WHERE finder = 'a.rig1' AND height = 7 AND verdict = 'rejected: bad-cb-amount'"));
            assertEquals(1, one(c, "SELECT COUNT(*) FROM worker_minutes WHERE worker = 'b'"));
        }
    }

    @Test
    void minutesGoAfter48HoursTheirHoursStayAndHistoryPastRetentionGoes(@TempDir Path dir) throws Exception {
        long now = 1_800_000_000_000L;
        long hour = 3_600_000L;
        try (Database db = Database.open(dir)) {
            try (StatsWriter w = new StatsWriter(db)) {
                for (int i = 0; i < 120; i++) { // two hours of one share a minute, 3 days ago
                    w.accept(ev("rig", SubmitResult.ACCEPTED, 1.0, now - 72 * hour + i * 60_000L, false));
                }
                w.accept(ev("rig", SubmitResult.STALE, 1.0, now - 72 * hour, false));
                w.accept(ev("rig", SubmitResult.ACCEPTED, 1.0, now - hour, false)); // recent: stays a minute
                w.accept(ev("gone", SubmitResult.ACCEPTED, 1.0, now - 40 * 86_400_000L, false)); // past a 30-day retention
            }
            StatsQueries q = new StatsQueries(db);
            List<StatsQueries.Point> before = q.history("rig", now, hour, 96, now).get();
            List<StatsQueries.Point> allBefore = q.history(null, now, hour, 96, now).get();
            Rollup.Result r = Rollup.run(db, now, 30).get();
            assertEquals(2 * 121, r.minutesDeleted(), "120 old minute rows of rig and 1 of gone, each also in the node-wide totals");
            assertEquals(2, r.hoursDeleted(), "gone's hour and its node-wide hour");
            assertEquals(1, r.workersDeleted());
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE))) {
                assertEquals(3, one(c, "SELECT COUNT(*) FROM worker_hours WHERE worker = 'rig'"));
                assertEquals(121, one(c, "SELECT SUM(accepted) FROM worker_hours WHERE worker = 'rig'"));
                assertEquals(121, one(c, "SELECT SUM(accepted) FROM worker_hours WHERE worker = ''"));
                assertEquals(1, one(c, "SELECT SUM(stale) FROM worker_hours WHERE worker = 'rig'"));
                assertEquals(2, one(c, "SELECT COUNT(*) FROM worker_minutes"), "rig's recent minute and its node-wide row");
                assertEquals(0, one(c, "SELECT COUNT(*) FROM worker_hours WHERE worker = 'gone'"));
            }
            // The history reads the same from hours as before, and the node-wide series equals the one worker's.
            List<StatsQueries.Point> after = q.history("rig", now, hour, 96, now).get();
            for (int i = 0; i < 96; i++) {
                assertEquals(before.get(i).work(), after.get(i).work(), 1e-3);
                assertEquals(before.get(i).accepted(), after.get(i).accepted());
                assertEquals(allBefore.get(i).accepted(), after.get(i).accepted());
            }
            assertEquals(121, after.stream().mapToLong(StatsQueries.Point::accepted).sum());
            // A 15-minute view over the rolled-up past spreads each hour over its four slots.
            List<StatsQueries.Point> quarter = q.history("rig", now - 70 * hour, 15 * 60_000L, 8, now).get();
            assertEquals(120, quarter.stream().mapToLong(StatsQueries.Point::accepted).sum());
            assertEquals(quarter.get(0).work(), quarter.get(1).work(), 1e-3);
            assertEquals(0, Rollup.run(db, now, 30).get().minutesDeleted(), "a second run finds nothing more to do");
        }
    }

    @Test
    void ourSharesAndConnectionsAreStored(@TempDir Path dir) throws Exception {
        long t = System.currentTimeMillis();
        try (Database db = Database.open(dir); StatsWriter w = new StatsWriter(db)) {
            w.connections(() -> java.util.Map.of("a.rig1", 3));
            w.accept(new SubmitEvent("a.rig1", "a", 1.0, SubmitResult.ACCEPTED, true, false, false, 2.0, "ua", t));
            w.accept(new SubmitEvent("a.rig1", "a", 1.0, SubmitResult.ACCEPTED, true, false, true, 2.0, "ua", t));
            w.flush().get();
            w.shareStatus(java.util.List.of(new LocalShares.Change("aa", "a.rig1", t, false, "pending"),
                    new LocalShares.Change("bb", "a.rig1", t, true, "pending")));
            w.flush().get();
            w.shareStatus(java.util.List.of(new LocalShares.Change("aa", "a.rig1", t, false, "in_chain"),
                    new LocalShares.Change("bb", "a.rig1", t, true, "dead")));
            w.flush().get();
            java.util.Map<String, Long> s = new StatsQueries(db).ourShares(0, "a.rig1").get();
            assertEquals(1, s.get("in_chain"));
            assertEquals(1, s.get("dead"));
            assertEquals(3, new StatsQueries(db).workers(0).get().get(0).connections());
        }
    }

    @Test
    void killMinus9LosesAtMostTheLastFlushAndNeverCorrupts(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), StatsWriterChild.class.getName(), dir.toString()).redirectErrorStream(true).start();
        long flushed = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("flushed ")) {
                    flushed = Long.parseLong(line.substring(8));
                    if (flushed >= 20_000) {
                        p.toHandle().destroyForcibly();
                        break;
                    }
                }
            }
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE))) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertEquals("ok", rs.getString(1));
            }
            long stored = one(c, "SELECT SUM(accepted) FROM worker_minutes");
            assertTrue(stored >= flushed, stored + " stored, " + flushed + " reported flushed");
        }
        Database.open(dir).close(); // and the node can open it again
    }
}
