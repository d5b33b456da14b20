package p2pool4j.work;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.sharechain.ChainShare;
import p2pool4j.sharechain.Tracker;

/**
 * The shares this node's miners put in the sharechain since it started, and where they ended up:
 * in the best chain, or not (an orphan, or dead if it was built on stale work). Owned by the
 * node's context, like the tracker it is judged against.
 */
public final class LocalShares {
    static final int MAX = 100_000;

    public record Local(Sha256Hash hash, String worker, boolean doa, long timeMillis) {}

    /** Counts as the reference's /local_stats "shares" object. */
    public record Counts(int total, int orphan, int dead) {}

    private final ArrayDeque<Local> shares = new ArrayDeque<>();
    private final Map<Sha256Hash, String> reported = new HashMap<>();

    void add(Local l) {
        if (shares.size() >= MAX) {
            reported.remove(shares.removeFirst().hash());
        }
        shares.addLast(l);
    }

    public List<Local> all() {
        return new ArrayList<>(shares);
    }

    /** The best chain's hashes, as far back as the tracker knows it (bounded by the chain length it keeps). */
    static Set<Sha256Hash> bestChain(Tracker t, Sha256Hash best) {
        Set<Sha256Hash> in = new HashSet<>();
        int n = best == null ? 0 : t.height(best);
        ChainShare s = best == null ? null : t.get(best);
        for (int i = 0; i < n && s != null; i++) {
            in.add(s.hash());
            s = s.previousHash() == null ? null : t.get(s.previousHash());
        }
        return in;
    }

    /** A share whose status changed since the last call: pending, in_chain, orphan or dead. */
    public record Change(String hash, String worker, long timeMillis, boolean doa, String status) {}

    /**
     * Shares whose status changed since the last call (new ones come as pending). A share is
     * in_chain when the best chain holds it; otherwise, once older than {@code graceMs} (its
     * children may still be on the way), orphan or, if built on stale work, dead. A share the
     * tracker pruned keeps the status last reported. Node context only.
     */
    public List<Change> statusChanges(Tracker t, Sha256Hash best, long nowMs, long graceMs) {
        Set<Sha256Hash> chain = bestChain(t, best);
        List<Change> out = new ArrayList<>();
        for (Local l : shares) {
            String status;
            if (!t.contains(l.hash())) {
                if (reported.containsKey(l.hash())) {
                    continue; // pruned: keeps the status last reported
                }
                status = "pending";
            } else if (chain.contains(l.hash())) {
                status = "in_chain";
            } else if (nowMs - l.timeMillis() >= graceMs) {
                status = l.doa() ? "dead" : "orphan";
            } else {
                status = "pending";
            }
            if (!status.equals(reported.put(l.hash(), status))) {
                out.add(new Change(l.hash().toDisplayHex(), l.worker(), l.timeMillis(), l.doa(), status));
            }
        }
        return out;
    }

    /** Total, orphaned and dead shares since start; shares the tracker already pruned count as they were last judged. */
    public Counts counts(Tracker t, Sha256Hash best) {
        Set<Sha256Hash> chain = bestChain(t, best);
        int orphan = 0;
        int dead = 0;
        for (Local l : shares) {
            // A share the tracker pruned (days old) counts as last judged, not as an orphan.
            boolean inChain = t.contains(l.hash()) ? chain.contains(l.hash()) : "in_chain".equals(reported.get(l.hash()));
            if (!inChain) {
                if (l.doa()) {
                    dead++;
                } else {
                    orphan++;
                }
            }
        }
        return new Counts(shares.size(), orphan, dead);
    }
}
