package p2pool4j.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import p2pool4j.bitcoin.Hex;
import p2pool4j.sharechain.ChainLoader;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Share;
import p2pool4j.testutil.Vectors;

/** The sharechain survives a restart and a kill -9, in a real SQLite file. */
class ShareStoreTest {
    static List<Share> chain() throws Exception {
        List<Share> shares = new ArrayList<>();
        for (var s : Vectors.load("chain_regtest.json").get("shares")) {
            shares.add(Share.loadWrapped(P2poolNetwork.REGTEST, Hex.decode(s.get("wire_hex").asText())));
        }
        return shares;
    }

    static List<ChainLoader.Raw> raw(List<ShareStore.Stored> stored) {
        List<ChainLoader.Raw> out = new ArrayList<>();
        stored.forEach(s -> out.add(new ChainLoader.Raw(s.type(), s.contents(), s.timeSeen())));
        return out;
    }

    @Test
    void aRestartResumesAtTheSameBestShare(@TempDir Path dir) throws Exception {
        List<Share> shares = chain();
        try (Database db = Database.open(dir)) {
            ShareStore store = new ShareStore(db, "regtest");
            assertEquals(460, store.add(shares, 5).get());
            assertEquals(0, store.add(shares.subList(0, 10), 6).get(), "known shares are not stored twice");
            store.markVerified(List.of(shares.get(0).hash())).get();
            assertEquals(0L, new ShareStore(db, "bitcoin").count().get(), "networks are kept apart");
        }
        try (Database db = Database.open(dir)) {
            List<ShareStore.Stored> stored = new ShareStore(db, "regtest").loadAll().get();
            assertEquals(460, stored.size());
            ChainLoader.Loaded loaded = ChainLoader.load(P2poolNetwork.REGTEST, raw(stored), 1_700_020_000L, h -> 0);
            assertEquals(0, loaded.unreadable());
            assertEquals(shares.get(459).hash(), loaded.decision().best());
            assertEquals(460, loaded.tracker().height(shares.get(459).hash()));
            // As the reference: verification reaches back CHAIN_LENGTH shares from the head, no further.
            assertEquals(360, loaded.tracker().verifiedHeight(shares.get(459).hash()));
        }
    }

    @Test
    void damagedRowsAreSkippedNotFatal(@TempDir Path dir) throws Exception {
        List<Share> shares = chain();
        try (Database db = Database.open(dir)) {
            new ShareStore(db, "regtest").add(shares, 1).get();
            db.run(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("UPDATE shares SET contents = X'00' WHERE absheight = 460");
                }
            }).get();
            List<ShareStore.Stored> stored = new ShareStore(db, "regtest").loadAll().get();
            ChainLoader.Loaded loaded = ChainLoader.load(P2poolNetwork.REGTEST, raw(stored), 1_700_020_000L, h -> 0);
            assertEquals(1, loaded.unreadable());
            assertEquals(shares.get(458).hash(), loaded.decision().best());
        }
    }

    @Test
    void aNewerSchemaIsRefusedWithAClearMessage(@TempDir Path dir) throws Exception {
        Database.open(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE)); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version (version) VALUES (99)");
        }
        SQLException e = assertThrows(SQLException.class, () -> Database.open(dir));
        assertTrue(e.getMessage().contains("newer than this p2pool4j knows"), e.getMessage());
    }

    @Test
    void killMinus9MidWriteLosesNothingCommittedAndNeverCorrupts(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), StoreWriterChild.class.getName(), dir.toString()).redirectErrorStream(true);
        Process p = pb.start();
        int committed = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    committed = Integer.parseInt(line.substring(10));
                    if (committed >= 200) {
                        p.toHandle().destroyForcibly(); // SIGKILL, mid-stream
                        break;
                    }
                }
            }
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertTrue(committed >= 200, "child got far enough");
        assertTrue(Files.exists(dir.resolve(Database.FILE + "-wal")), "killed with its WAL still open");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE)); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertEquals("ok", rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM shares")) {
                rs.next();
                assertTrue(rs.getInt(1) >= committed, rs.getInt(1) + " rows, " + committed + " committed");
            }
        }
        try (Database db = Database.open(dir)) {
            List<ShareStore.Stored> stored = new ShareStore(db, "regtest").loadAll().get();
            ChainLoader.Loaded loaded = ChainLoader.load(P2poolNetwork.REGTEST, raw(stored), 1_700_020_000L, h -> 0);
            assertEquals(stored.size(), loaded.tracker().height(loaded.decision().best()));
            assertEquals(Math.min(stored.size(), 360), loaded.tracker().verifiedHeight(loaded.decision().best()));
        }
    }
}
