package p2pool4j.stats;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.sharechain.Share;

/**
 * The sharechain on disk, so a restart does not download it again: each share's wire contents
 * keyed by hash, with its absheight (to load parents first), a verified mark and when it was
 * first seen. Writes are batched in one transaction on the database thread.
 */
public final class ShareStore implements p2pool4j.work.ChainStore {
    /** A share as stored. */
    public record Stored(Sha256Hash hash, int type, byte[] contents, boolean verified, long timeSeen) {}

    private final Database db;
    private final String net;

    public ShareStore(Database db, String net) {
        this.db = db;
        this.net = net;
    }

    @Override
    public CompletableFuture<Integer> add(Collection<Share> shares, long timeSeen) {
        List<Share> list = List.copyOf(shares);
        return db.transaction(c -> {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO shares (hash, net, type, contents, absheight, time_seen) VALUES (?,?,?,?,?,?)")) {
                for (Share s : list) {
                    ps.setBytes(1, s.hash().bytes());
                    ps.setString(2, net);
                    ps.setInt(3, s.version());
                    ps.setBytes(4, s.rawContents());
                    ps.setLong(5, s.absheight());
                    ps.setLong(6, timeSeen);
                    ps.addBatch();
                }
                for (int r : ps.executeBatch()) {
                    n += Math.max(r, 0);
                }
            }
            return n;
        });
    }

    @Override
    public CompletableFuture<Void> markVerified(Collection<Sha256Hash> hashes) {
        return perHash("UPDATE shares SET verified = 1 WHERE hash = ?", hashes);
    }

    @Override
    public CompletableFuture<Void> remove(Collection<Sha256Hash> hashes) {
        return perHash("DELETE FROM shares WHERE hash = ?", hashes);
    }

    /** One statement with a single hash parameter, batched over {@code hashes} in one transaction. */
    private CompletableFuture<Void> perHash(String sql, Collection<Sha256Hash> hashes) {
        List<Sha256Hash> list = List.copyOf(hashes);
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Sha256Hash h : list) {
                    ps.setBytes(1, h.bytes());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Every stored share of this network, oldest absheight first. */
    public CompletableFuture<List<Stored>> loadAll() {
        return db.run(c -> {
            List<Stored> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT hash, type, contents, verified, time_seen FROM shares WHERE net = ? ORDER BY absheight")) {
                ps.setString(1, net);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        byte[] h = r.getBytes(1);
                        if (h == null || h.length != 32) {
                            continue; // a damaged row must not stop the node; it is downloaded again
                        }
                        out.add(new Stored(Sha256Hash.wrap(h), r.getInt(2), r.getBytes(3), r.getInt(4) != 0, r.getLong(5)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<List<StoredShare>> loadShares() {
        return loadAll().thenApply(rows -> rows.stream().map(r -> new StoredShare(r.type(), r.contents(), r.timeSeen(), r.verified())).toList());
    }

    public CompletableFuture<Long> count() {
        return db.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM shares WHERE net = ?")) {
                ps.setString(1, net);
                try (ResultSet r = ps.executeQuery()) {
                    return r.next() ? r.getLong(1) : 0L;
                }
            }
        });
    }
}
