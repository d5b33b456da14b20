package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.stats.Database;
import p2pool4j.testminer.TestMiner;
import p2pool4j.testutil.BcoinNode;

/**
 * The service jar stopped under a mining rig, as systemd or a crash would: SIGKILL at an
 * arbitrary moment (ten times) leaves a database that passes integrity_check, loses at most
 * the last flush interval of statistics (printed) and reloads its sharechain to the best share a
 * full verification of what is on disk chooses (the fast, trusted reload may not pick another);
 * SIGTERM exits 0 and loses no accepted submit. Real bcoin, the real jar as a child process.
 * Bounded: about two minutes.
 */
class NodeCrashIT {
    private static final String RIG = Address.p2pkh(Hashes.hash160("crash rig".getBytes(StandardCharsets.UTF_8)), ChainParams.REGTEST)
            .text() + ".rig";

    private static Process launch(BcoinNode bcoin, Path datadir, int worker, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-XX:+ExitOnOutOfMemoryError", "-jar",
                BcoinNode.repo().resolve("target/p2pool4j.jar").toString(), "--net", "regtest",
                "-a", Address.p2pkh(Hashes.hash160("operator".getBytes(StandardCharsets.UTF_8)), ChainParams.REGTEST).text(),
                "--bitcoind-rpc-port", String.valueOf(bcoin.rpcPort()), "--bitcoind-p2p-port", String.valueOf(bcoin.p2pPort()),
                "--bitcoind-rpc-user", "x", "--bitcoind-rpc-password", BcoinNode.API_KEY, "--datadir", datadir.toString(),
                "--p2pool-port", String.valueOf(BcoinNode.freePort()), "-w", String.valueOf(worker), "--worker-bind", "127.0.0.1",
                "--web-port", String.valueOf(BcoinNode.freePort()), "--web-bind", "127.0.0.1", "--outgoing-conns", "0"));
        long startsBefore = starts(log);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        LAUNCHED.add(p);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (starts(log) == startsBefore && p.isAlive() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), "the node starts: " + Files.readString(log));
        return p;
    }

    /** How many times the log says a node finished starting (the log is shared by every run). */
    private static long starts(Path log) throws Exception {
        return !Files.exists(log) ? 0 : Files.readString(log).lines().filter(l -> l.contains("web UI and API")).count();
    }

    private static long one(Path datadir, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + datadir.resolve(Database.FILE)); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : -1;
        }
    }

    private static String integrity(Path datadir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + datadir.resolve(Database.FILE)); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            return r.next() ? r.getString(1) : "?";
        }
    }

    private static long storedAccepted(Path datadir) throws Exception {
        return one(datadir, "SELECT COALESCE(SUM(accepted), 0) FROM worker_minutes WHERE worker = '" + RIG + "'");
    }

    static final int KILLS = 10;

    /** The best share the last start's log names ("none" for an empty chain). */
    private static String lastBest(Path log) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("shares loaded from disk .*, best (\\S+) \\(height").matcher(Files.readString(log));
        String best = null;
        while (m.find()) {
            best = m.group(1);
        }
        assertTrue(best != null, "the node logs its reloaded best share");
        return best;
    }

    /** What a tracker that trusts nothing chooses from the stored shares, as the node's background re-verification does. */
    private static String fullyVerifiedBest(Path datadir) throws Exception {
        List<p2pool4j.sharechain.ChainLoader.Raw> raws = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + datadir.resolve(Database.FILE)); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT type, contents, time_seen FROM shares ORDER BY absheight")) {
            while (r.next()) {
                raws.add(new p2pool4j.sharechain.ChainLoader.Raw(r.getInt(1), r.getBytes(2), r.getLong(3)));
            }
        }
        var loaded = p2pool4j.sharechain.ChainLoader.load(p2pool4j.sharechain.P2poolNetwork.REGTEST, raws,
                System.currentTimeMillis() / 1000, h -> 0);
        return loaded.decision().best() == null ? "none" : loaded.decision().best().toString();
    }

    /** Every node this test started, killed at the end whatever happened (a failed assertion must not leave one running). */
    private static final List<Process> LAUNCHED = new ArrayList<>();

    @org.junit.jupiter.api.AfterAll
    static void killLeftovers() {
        LAUNCHED.forEach(Process::destroyForcibly);
    }

    @Test
    void killedOrStoppedUnderARigTheNodeKeepsItsData() throws Exception {
        try (BcoinNode bcoin = BcoinNode.start()) {
            bcoin.generate(432);
            Path dir = Files.createTempDirectory("p2pool4j-crash");
            Path datadir = dir.resolve("data");
            Path log = dir.resolve("node.log");
            int worker = BcoinNode.freePort();
            long minedTotal = 0;
            List<Long> lost = new ArrayList<>();
            List<String> reloaded = new ArrayList<>();
            String expectedBest = null;
            for (int cycle = 0; cycle < KILLS + 1; cycle++) {
                boolean graceful = cycle == KILLS;
                Process node = launch(bcoin, datadir, worker, log);
                String best = lastBest(log);
                if (expectedBest != null) {
                    assertEquals(expectedBest, best, "cycle " + cycle + ": the reload picks the best share of what is stored");
                    reloaded.add(best.substring(0, 8));
                }
                long shares = one(datadir, "SELECT COUNT(*) FROM shares");
                long mined;
                try (TestMiner miner = TestMiner.stratum("127.0.0.1", worker, RIG, 1, true)) {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (miner.accepted() < 50 && System.nanoTime() < end) {
                        Thread.sleep(20);
                    }
                    Thread.sleep(300 + 170L * cycle); // an arbitrary moment relative to the 1-s stats flush and the share stores
                    if (graceful) {
                        assertTrue(miner.drain(10_000), "every submit answered before the stop");
                        mined = miner.accepted();
                        node.destroy(); // SIGTERM
                        assertTrue(node.waitFor(10, TimeUnit.SECONDS), "SIGTERM: the node exits within 10 s");
                        assertEquals(0, node.exitValue(), "SIGTERM is a clean stop");
                    } else {
                        mined = miner.accepted();
                        node.destroyForcibly(); // SIGKILL
                        node.waitFor(10, TimeUnit.SECONDS);
                    }
                }
                minedTotal += mined;
                assertEquals("ok", integrity(datadir), "integrity after cycle " + cycle);
                long stored = storedAccepted(datadir);
                lost.add(minedTotal - stored);
                if (graceful) {
                    assertEquals(minedTotal, stored, "after SIGTERM every accepted submit is stored");
                }
                minedTotal = stored; // what the next cycle adds to
                assertTrue(one(datadir, "SELECT COUNT(*) FROM shares") >= shares, "the stored chain never shrinks across a kill");
                expectedBest = fullyVerifiedBest(datadir);
            }
            // The chain written under the kills loads again: the node starts and serves from it.
            Process again = launch(bcoin, datadir, worker, log);
            assertEquals(expectedBest, lastBest(log), "the last reload picks the best share of what is stored");
            again.destroy();
            assertTrue(again.waitFor(10, TimeUnit.SECONDS));
            String text = Files.readString(log);
            assertTrue(text.contains("shares loaded from disk"), text);
            System.out.println("node crash: accepted submits lost per cycle (" + KILLS + " x SIGKILL, then SIGTERM) " + lost
                    + "; the stats flush runs every second; best share after each reload, as a full verification of the disk chose it: "
                    + reloaded);
        }
    }
}
