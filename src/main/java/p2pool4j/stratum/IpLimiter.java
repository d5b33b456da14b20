package p2pool4j.stratum;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open worker-port connections per IP and in total, shared by every worker-port instance (one
 * per core): the one piece of state those instances share, so it is a concurrent map of counts.
 * A slot is taken when a connection opens and given back exactly once when it closes, whoever
 * closed it and whatever it sent.
 */
final class IpLimiter {
    private final int perIp;
    private final int total;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
    private final AtomicInteger all = new AtomicInteger();

    IpLimiter(int perIp, int total) {
        this.perIp = perIp;
        this.total = total;
    }

    /** Takes a slot; false when the IP or the port is full. */
    boolean acquire(String ip) {
        if (all.incrementAndGet() > total) {
            all.decrementAndGet();
            return false;
        }
        boolean[] ok = {false};
        open.compute(ip, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= perIp) {
                return n;
            }
            ok[0] = true;
            return now + 1;
        });
        if (!ok[0]) {
            all.decrementAndGet();
        }
        return ok[0];
    }

    void release(String ip) {
        open.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
        all.decrementAndGet();
    }

    int total() {
        return all.get();
    }
}
