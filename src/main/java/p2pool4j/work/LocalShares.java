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

    /** @param staleInfo the stale_info the share itself carries (0 none, 253 orphan, 254 dead on arrival) */
    public record Local(Sha256Hash hash, String worker, boolean doa, long timeMillis, int staleInfo) {
        public Local(Sha256Hash hash, String worker, boolean doa, long timeMillis) {
            this(hash, worker, doa, timeMillis, 0);
        }
    }

    public static final int STALE_NONE = 0;
    public static final int STALE_ORPHAN = 253;
    public static final int STALE_DOA = 254;

    /** Counts as the reference's /local_stats "shares" object. */
    public record Counts(int total, int orphan, int dead) {}

    private final ArrayDeque<Local> shares = new ArrayDeque<>();
    private final Map<Sha256Hash, String> reported = new HashMap<>();

    /** Dead-on-arrival shares not kept at all (their parent already had a child): lost like the dead ones. */
    private int droppedDoa;

    void droppedDeadOnArrival() {
        droppedDoa++;
    }

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

    /**
     * The stale_info for the next share we make (protocol spec, share_data): 253 when more of our
     * shares were orphaned than our shares in the chain have announced, else 254 when more were
     * dead on arrival than announced, else 0. This is how every node's stale rate learns about our
     * losses: each lost share is announced once by a later share of ours that made it into the chain.
     */
    public int staleInfo(Tracker t, Sha256Hash best) {
        Set<Sha256Hash> chain = bestChain(t, best);
        int orphans = 0;
        int doas = 0;
        int orphansAnnounced = 0;
        int doasAnnounced = 0;
        for (Local l : shares) {
            boolean inChain = t.contains(l.hash()) ? chain.contains(l.hash()) : "in_chain".equals(reported.get(l.hash()));
            if (inChain) {
                if (l.staleInfo() == STALE_ORPHAN) {
                    orphansAnnounced++;
                } else if (l.staleInfo() == STALE_DOA) {
                    doasAnnounced++;
                }
            } else if (l.doa()) {
                doas++;
            } else {
                orphans++;
            }
        }
        doas += droppedDoa;
        return orphans > orphansAnnounced ? STALE_ORPHAN : doas > doasAnnounced ? STALE_DOA : STALE_NONE;
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
        return new Counts(shares.size() + droppedDoa, orphan, dead + droppedDoa);
    }
}
