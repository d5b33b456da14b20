package p2pool4j.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A released migration never changes: the build pins each one, and a database that saw another refuses to open. */
class MigrationsTest {
    /**
     * SHA-256 of every released migration. A failure here means a released migration was edited:
     * undo the edit and add a new migration instead. Append a line when a new version is released.
     */
    private static final List<String> RELEASED = List.of(
            "a6bac40959d01215292908d7e8e8f79c22efe442ee5cd9144c26255a6897a4ae",
            "dd8810c2dc9753a0138756eebfbe1c41a2401907ef1b4a9277df75f49842f7a4",
            "2a6e4845ca5517b339c69f060702acdc57919c8f60e307ebc6757ff79c8da977",
            "a3b8475f0da83feb8031ae031e7650f71f01c0d3a97fc2d9eaf26c96b4f25c65",
            "2195cf89597c91a786e6997b9bb99fea02239e6e91a1ac782287bf35cd964be6");

    @Test
    void everyReleasedMigrationIsUnchanged() {
        assertTrue(Migrations.latest() >= RELEASED.size(), "a released migration was removed");
        for (int v = 1; v <= RELEASED.size(); v++) {
            assertEquals(RELEASED.get(v - 1), Migrations.checksum(v), "schema migration " + v + " was edited after release");
        }
    }

    @Test
    void aFreshDatabaseRecordsEveryChecksum(@TempDir Path dir) throws Exception {
        Database.open(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE)); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT version, sha256 FROM schema_checksum ORDER BY version")) {
            for (int v = 1; v <= Migrations.latest(); v++) {
                assertTrue(r.next());
                assertEquals(v, r.getInt(1));
                assertEquals(Migrations.checksum(v), r.getString(2));
            }
        }
    }

    @Test
    void aDatabaseThatAppliedAnotherVersionOfAMigrationIsRefusedUntouched(@TempDir Path dir) throws Exception {
        Database.open(dir).close();
        Path file = dir.resolve(Database.FILE);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("UPDATE schema_checksum SET sha256 = '" + "0".repeat(64) + "' WHERE version = 2");
            s.execute("INSERT INTO addresses VALUES ('n', 'h', 1, 0, 0, 0)");
        }
        byte[] before = Files.readAllBytes(file);
        SQLException e = assertThrows(SQLException.class, () -> Database.open(dir));
        assertTrue(e.getMessage().contains("migration 2"), e.getMessage());
        assertTrue(e.getMessage().contains("edited"), e.getMessage());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM addresses")) {
            assertEquals(1, r.getLong(1));
        }
        assertEquals(before.length, Files.readAllBytes(file).length);
    }

    @Test
    void aDatabaseFromBeforeChecksumsGetsThemAtTheNextOpen(@TempDir Path dir) throws Exception {
        Database.open(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE)); Statement s = c.createStatement()) {
            s.execute("DROP TABLE schema_checksum");
        }
        Database.open(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE)); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM schema_checksum")) {
            assertEquals(Migrations.latest(), r.getInt(1));
        }
    }
}
