package p2pool4j.web;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Samples of the reference's gauge streams (pool_rates, peers, current_payout, ...) for
 * /web/graph_data: every sample for two hours, then five-minute averages for 31 days. Each
 * finished five-minute average is handed to a listener (the node stores it) and can be restored
 * at start, so the graphs survive a restart. Each sample is a map of named values; a scalar
 * stream uses the key "". Thread-safe.
 */
public final class GaugeHistory {
    static final long RAW_MS = 2 * 3_600_000L;
    static final long COARSE_MS = 300_000L;
    static final int MAX_COARSE = 31 * 288;
    static final int MAX_KEYS = 10_000;

    private static final class Stream {
        final ArrayDeque<Sample> raw = new ArrayDeque<>();
        final ArrayDeque<Sample> coarse = new ArrayDeque<>();
        /** The five-minute average being built. */
        long coarseStart = -1;
        final Map<String, double[]> building = new HashMap<>();
    }

    private final Map<String, Stream> streams = new HashMap<>();
    private volatile java.util.function.BiConsumer<String, Sample> onCoarse = (stream, sample) -> { };

    /** A finished five-minute average. */
    public record Sample(long timeMs, Map<String, Double> values) {}

    /** Called (under this object's lock: keep it quick) with every finished five-minute average. */
    public void onCoarse(java.util.function.BiConsumer<String, Sample> listener) {
        this.onCoarse = listener;
    }

    /** Puts back a stored five-minute average; call in time order, before sampling starts. */
    public synchronized void restore(String stream, long timeMs, Map<String, Double> values) {
        Stream s = streams.computeIfAbsent(stream, k -> new Stream());
        if (!s.coarse.isEmpty() && s.coarse.peekLast().timeMs() >= timeMs) {
            return;
        }
        s.coarse.addLast(new Sample(timeMs, Map.copyOf(values)));
        if (s.coarse.size() > MAX_COARSE) {
            s.coarse.removeFirst();
        }
    }

    public synchronized void record(String stream, long nowMs, Map<String, Double> values) {
        Stream s = streams.computeIfAbsent(stream, k -> new Stream());
        Map<String, Double> v = values.size() <= MAX_KEYS ? Map.copyOf(values) : Map.of();
        s.raw.addLast(new Sample(nowMs, v));
        while (!s.raw.isEmpty() && s.raw.peekFirst().timeMs() < nowMs - RAW_MS) {
            s.raw.removeFirst();
        }
        long start = nowMs / COARSE_MS * COARSE_MS;
        if (s.coarseStart != start) {
            Sample done = closeCoarse(s);
            s.coarseStart = start;
            if (done != null) {
                try {
                    onCoarse.accept(stream, done);
                } catch (RuntimeException e) {
                    // storing a graph point must never stop the sampling
                }
            }
        }
        v.forEach((k, x) -> {
            double[] sumCount = s.building.computeIfAbsent(k, kk -> new double[2]);
            sumCount[0] += x;
            sumCount[1]++;
        });
    }

    private static Sample closeCoarse(Stream s) {
        Sample done = null;
        if (s.coarseStart >= 0 && !s.building.isEmpty()) {
            Map<String, Double> avg = new LinkedHashMap<>();
            s.building.forEach((k, sc) -> avg.put(k, sc[0] / sc[1]));
            done = new Sample(s.coarseStart + COARSE_MS / 2, avg);
            s.coarse.addLast(done);
            if (s.coarse.size() > MAX_COARSE) {
                s.coarse.removeFirst();
            }
        }
        s.building.clear();
        return done;
    }

    /**
     * {@code bins} averages of width {@code widthMs} ending at {@code toMs}, oldest first; null
     * for a bin without samples.
     */
    public synchronized Map<String, Double>[] bins(String stream, long toMs, long widthMs, int bins) {
        @SuppressWarnings("unchecked")
        Map<String, Double>[] out = new Map[bins];
        Stream s = streams.get(stream);
        if (s == null) {
            return out;
        }
        long fromMs = toMs - widthMs * bins;
        Map<String, double[]>[] acc = accumulate(s.raw, fromMs, toMs, widthMs, bins, null);
        long rawFrom = s.raw.isEmpty() ? Long.MAX_VALUE : s.raw.peekFirst().timeMs();
        accumulate(s.coarse, fromMs, Math.min(toMs, rawFrom), widthMs, bins, acc);
        for (int i = 0; i < bins; i++) {
            if (acc[i] != null) {
                Map<String, Double> m = new LinkedHashMap<>();
                acc[i].forEach((k, sc) -> m.put(k, sc[0] / sc[1]));
                out[i] = m;
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, double[]>[] accumulate(ArrayDeque<Sample> samples, long fromMs, long toMs, long widthMs, int bins,
            Map<String, double[]>[] into) {
        Map<String, double[]>[] acc = into != null ? into : new Map[bins];
        for (Sample x : samples) {
            if (x.timeMs() < fromMs || x.timeMs() >= toMs) {
                continue;
            }
            int i = (int) ((x.timeMs() - fromMs) / widthMs);
            if (acc[i] == null) {
                acc[i] = new HashMap<>();
            }
            Map<String, double[]> bin = acc[i];
            x.values().forEach((k, v) -> {
                double[] sc = bin.computeIfAbsent(k, kk -> new double[2]);
                sc[0] += v;
                sc[1]++;
            });
        }
        return acc;
    }
}
