package p2pool4j.work;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.sharechain.Share;

/** Where the node keeps its sharechain across restarts; the stats package implements it on SQLite. */
public interface ChainStore {
    /**
     * A stored share as the loader needs it: its wire type, its bytes, when it was first seen, and
     * whether the node had verified it (trusted at start, re-checked in the background).
     */
    record StoredShare(int type, byte[] contents, long timeSeen, boolean verified) {}

    CompletableFuture<Integer> add(Collection<Share> shares, long timeSeen);

    CompletableFuture<Void> remove(Collection<Sha256Hash> hashes);

    /** Notes that the tracker verified these shares (the next start trusts them until re-verified). */
    CompletableFuture<Void> markVerified(Collection<Sha256Hash> hashes);

    CompletableFuture<List<StoredShare>> loadShares();
}
