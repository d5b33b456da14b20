package p2pool4j.work;

/**
 * Why miners get no work now, in the reference's words (protocol spec, "work is refused"), or
 * null when they do. Pure: the node asks it with the figures it has published.
 */
public final class Readiness {
    /** A template older than this means bitcoind is gone: work on it would be stale or invalid. */
    public static final long TEMPLATE_MAX_AGE_MS = 60_000;

    private Readiness() {}

    /**
     * @param lastTemplateMillis when the last template arrived (0: never)
     * @param persist            the network's sharechain persists (mainnet): mining before joining it starts a chain of one's own
     * @param peers              connected P2Pool peers
     * @param hasBest            the tracker has a verified best share
     */
    public static String notReady(long lastTemplateMillis, long nowMillis, boolean persist, int peers, boolean hasBest) {
        if (lastTemplateMillis == 0) {
            return "waiting for a block template from bitcoind";
        }
        if (nowMillis - lastTemplateMillis > TEMPLATE_MAX_AGE_MS) {
            return "lost contact with bitcoind";
        }
        if (persist && peers == 0) {
            return "p2pool is not connected to any peers";
        }
        if (persist && !hasBest) {
            return "p2pool is downloading shares";
        }
        return null;
    }
}
