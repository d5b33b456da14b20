package p2pool4j.work;

import java.util.HashMap;
import java.util.Map;

/**
 * This node's miners' hashrate over the last ten minutes, node-wide and per payout address, from
 * the work of their accepted pseudo-shares: what the share difficulty policy needs. Fed from any
 * worker-port thread (synchronized; a submit costs one bucket add), read by the node once per work
 * generation. Bounded: {@value #MAX_ADDRESSES} addresses, the least recent dropped.
 */
public final class LocalRates {
    static final long WINDOW_MS = 600_000;
    static final int BUCKETS = 60;
    static final long BUCKET_MS = WINDOW_MS / BUCKETS;
    static final int MAX_ADDRESSES = 10_000;

    /** Work per 10-s bucket; a bucket is reused once its slot comes round again. */
    private static final class Window {
        final double[] work = new double[BUCKETS];
        final long[] slot = new long[BUCKETS];

        void add(double w, long nowMs) {
            long s = nowMs / BUCKET_MS;
            int i = (int) (s % BUCKETS);
            if (slot[i] != s) {
                slot[i] = s;
                work[i] = 0;
            }
            work[i] += w;
        }

        double rate(long nowMs, long startedMs) {
            long s = nowMs / BUCKET_MS;
            double sum = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (s - slot[i] < BUCKETS) {
                    sum += work[i];
                }
            }
            double seconds = Math.max(BUCKET_MS, Math.min(WINDOW_MS, nowMs - startedMs)) / 1000.0;
            return sum / seconds;
        }
    }

    private final long startedMs;
    private final Window total = new Window();
    private final Map<String, Window> byAddress = p2pool4j.util.Lru.map(MAX_ADDRESSES, true);

    public LocalRates(long startedMs) {
        this.startedMs = startedMs;
    }

    /** An accepted pseudo-share of {@code work} hashes paying {@code address}. */
    public synchronized void add(String address, double work, long nowMs) {
        total.add(work, nowMs);
        byAddress.computeIfAbsent(address, a -> new Window()).add(work, nowMs);
    }

    /** H/s of all local miners. */
    public synchronized double total(long nowMs) {
        return total.rate(nowMs, startedMs);
    }

    /** H/s per payout address (addresses with work in the window). */
    public synchronized Map<String, Double> byAddress(long nowMs) {
        Map<String, Double> out = new HashMap<>();
        byAddress.forEach((a, w) -> {
            double r = w.rate(nowMs, startedMs);
            if (r > 0) {
                out.put(a, r);
            }
        });
        return out;
    }
}
