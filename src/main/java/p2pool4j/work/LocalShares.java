package p2pool4j.work;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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

    void add(Local l) {
        if (shares.size() >= MAX) {
            shares.removeFirst();
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

    /**
     * Status of each share the tracker still holds: in_chain, orphan or dead. Shares already pruned
     * keep the status last reported. A share younger than {@code graceMs} and not yet in the chain
     * is left out (its children may not have arrived).
     */
    public Map<String, String> statuses(Tracker t, Sha256Hash best, long nowMs, long graceMs) {
        Set<Sha256Hash> chain = bestChain(t, best);
        Map<String, String> out = new LinkedHashMap<>();
        for (Local l : shares) {
            if (!t.contains(l.hash())) {
                continue;
            }
            if (chain.contains(l.hash())) {
                out.put(l.hash().toDisplayHex(), "in_chain");
            } else if (nowMs - l.timeMillis() >= graceMs) {
                out.put(l.hash().toDisplayHex(), l.doa() ? "dead" : "orphan");
            }
        }
        return out;
    }

    public Counts counts(Tracker t, Sha256Hash best) {
        Set<Sha256Hash> chain = bestChain(t, best);
        int orphan = 0;
        int dead = 0;
        for (Local l : shares) {
            if (!chain.contains(l.hash())) {
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
