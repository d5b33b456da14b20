package p2pool4j.p2p;

import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.Tracker;

/**
 * The sharechain as the peer layer sees it: the node's published figures, read at once, and a few
 * questions and one command that the node answers on its own context (futures complete on the
 * peer verticle's). The node's side implements it; the peer layer never holds the tracker.
 */
public interface ShareChain {
    /** A share with where it came from (a {@link Peer}, "local", or null). */
    record Sourced(Share share, Object source) {}

    P2poolNetwork net();

    /** The best share now (null while there is none). */
    Sha256Hash best();

    int minimumProtocolVersion();

    /** Missing parents worth downloading, from the node's last think. */
    List<Tracker.Desired> desired();

    /** Every share hash the chain holds (at start, all count as already shared). */
    Future<Set<Sha256Hash>> hashes();

    Future<Boolean> contains(Sha256Hash hash);

    /** From each hash back through at most {@code parents} parents, stopping at a hash in {@code stops} (spec 3.5). */
    Future<List<Share>> walk(List<Sha256Hash> from, long parents, Set<Sha256Hash> stops);

    /** The best share and its ancestors, newest first, at most {@code max}. */
    Future<List<Sourced>> newest(int max);

    /** Heads and a recent ancestor of each, where a download may stop (at most 100). */
    Future<List<Sha256Hash>> downloadStops();

    /** Shares received from a peer; answers how many were new. */
    Future<Integer> addShares(List<Share> shares, Object source);

    /** New best shares, on the subscriber's context. */
    void onBestShare(Consumer<Sha256Hash> listener);

    /** Shares the tracker refused at verification: (source, reason), on the subscriber's context. */
    void onRefused(BiConsumer<Object, String> listener);
}
