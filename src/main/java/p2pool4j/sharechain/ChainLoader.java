package p2pool4j.sharechain;

import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds a tracker from stored shares: parses each (a damaged one is skipped and counted, the
 * peers will send it again), adds them all, then verifies and picks the best share with one
 * think(). Pure: the caller reads the store and supplies the clock.
 */
public final class ChainLoader {
    /** What loading found. */
    public record Loaded(Tracker tracker, Tracker.Decision decision, int loaded, int unreadable, List<ShareException> problems) {}

    /** A stored share: its type and contents as they travel. */
    public record Raw(int type, byte[] contents, long timeSeen) {}

    /** A stored share already parsed, with the store's mark that it had been verified. */
    public record Parsed(Share share, long timeSeen, boolean verifiedMark) {}

    private ChainLoader() {}

    /**
     * Builds a tracker from parsed shares, trusting the store's verified marks (no gentx rebuilt
     * for those), so a restarted node can serve work at once. The caller must re-verify the same
     * shares with {@link #load} and demote what fails: a mark is a hint, not a proof.
     */
    public static Loaded loadTrusted(P2poolNetwork net, List<Parsed> shares, int unreadable, List<ShareException> problems,
            long nowSeconds, Tracker.BlockHeights heights) {
        return loadParsed(net, shares, unreadable, problems, nowSeconds, heights, true);
    }

    /** Builds a tracker from parsed shares and verifies what it can (trusting the marks only when asked). */
    public static Loaded loadParsed(P2poolNetwork net, List<Parsed> shares, int unreadable, List<ShareException> problems,
            long nowSeconds, Tracker.BlockHeights heights, boolean trustMarks) {
        Tracker t = new Tracker(net);
        for (Parsed p : shares) {
            t.add(p.share(), p.timeSeen(), null);
        }
        for (Parsed p : shares) {
            if (trustMarks && p.verifiedMark()) {
                t.markVerified(p.share().hash());
            }
        }
        Tracker.Decision d = t.think(nowSeconds, heights);
        return new Loaded(t, d, t.size(), unreadable, problems);
    }

    public static Loaded load(P2poolNetwork net, List<Raw> stored, long nowSeconds, Tracker.BlockHeights heights) {
        List<Parsed> parsed = new ArrayList<>(stored.size());
        int unreadable = 0;
        List<ShareException> problems = new ArrayList<>();
        for (Raw r : stored) {
            try {
                parsed.add(new Parsed(Share.load(net, r.type(), r.contents()), r.timeSeen(), false));
            } catch (ShareException e) {
                unreadable++;
                if (problems.size() < 10) {
                    problems.add(e);
                }
            }
        }
        return loadParsed(net, parsed, unreadable, problems, nowSeconds, heights, false);
    }
}
