package p2pool4j.stats;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The P2Pool address book on disk (at most the book's 10,000 entries per network), replaced as a whole on each save. */
public final class AddressStore {
    /** One stored address. */
    public record Row(String host, int port, long services, long firstSeen, long lastSeen) {}

    private final Database db;
    private final String net;

    public AddressStore(Database db, String net) {
        this.db = db;
        this.net = net;
    }

    public CompletableFuture<Void> save(List<Row> rows) {
        List<Row> copy = List.copyOf(rows);
        return db.transaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM addresses WHERE net = ?")) {
                del.setString(1, net);
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO addresses (net, host, port, services, first_seen, last_seen) VALUES (?,?,?,?,?,?)")) {
                for (Row r : copy) {
                    ps.setString(1, net);
                    ps.setString(2, r.host());
                    ps.setInt(3, r.port());
                    ps.setLong(4, r.services());
                    ps.setLong(5, r.firstSeen());
                    ps.setLong(6, r.lastSeen());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    public CompletableFuture<List<Row>> load() {
        return db.run(c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT host, port, services, first_seen, last_seen FROM addresses WHERE net = ? LIMIT 10000")) {
                ps.setString(1, net);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        out.add(new Row(r.getString(1), r.getInt(2), r.getLong(3), r.getLong(4), r.getLong(5)));
                    }
                }
            }
            return out;
        });
    }
}
