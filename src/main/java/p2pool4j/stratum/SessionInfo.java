package p2pool4j.stratum;

/**
 * One live Stratum session of a worker, as its page lists them (a rig with several boards or a
 * proxy shows one per connection): where from, which miner software, since when, at which
 * difficulty, and what it sent since it connected.
 */
public record SessionInfo(String ip, String userAgent, long connectedMillis, double difficulty, long lastSubmitMillis, long accepted,
        long rejected, boolean tls) {}
