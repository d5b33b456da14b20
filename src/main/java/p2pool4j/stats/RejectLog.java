package p2pool4j.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import p2pool4j.work.SubmitResult;

/**
 * The last {@value #PER_WORKER} rejected submits of each worker (stale ones included: to the rig
 * they are rejections too), so "why is my rig rejecting?" has an answer without reading logs.
 * Fed from any worker-port thread. Bounded: the {@value #WORKERS} workers that rejected most
 * recently keep a log (a fixed ring of primitives each, about 2 KB), others are forgotten.
 */
public final class RejectLog {
    static final int PER_WORKER = 100;
    static final int WORKERS = 2_000;

    /** One rejected submit. */
    public record Reject(long timeMillis, SubmitResult reason, double difficulty) {}

    private static final SubmitResult[] RESULTS = SubmitResult.values();

    private static final class Ring {
        final long[] time = new long[PER_WORKER];
        final byte[] reason = new byte[PER_WORKER];
        final double[] difficulty = new double[PER_WORKER];
        int next;
        int size;

        void add(long t, SubmitResult r, double d) {
            time[next] = t;
            reason[next] = (byte) r.ordinal();
            difficulty[next] = d;
            next = (next + 1) % PER_WORKER;
            size = Math.min(PER_WORKER, size + 1);
        }

        List<Reject> newestFirst() {
            List<Reject> out = new ArrayList<>(size);
            for (int k = 1; k <= size; k++) {
                int i = Math.floorMod(next - k, PER_WORKER);
                out.add(new Reject(time[i], RESULTS[reason[i]], difficulty[i]));
            }
            return out;
        }
    }

    private final Map<String, Ring> rings = p2pool4j.util.Lru.map(WORKERS, true);

    public synchronized void add(String worker, SubmitResult reason, double difficulty, long timeMillis) {
        rings.computeIfAbsent(worker, w -> new Ring()).add(timeMillis, reason, difficulty);
    }

    /** Newest first; empty for a worker without rejects (or one forgotten). */
    public synchronized List<Reject> of(String worker) {
        Ring r = rings.get(worker);
        return r == null ? List.of() : r.newestFirst();
    }
}
