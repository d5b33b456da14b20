package p2pool4j.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import p2pool4j.work.SubmitEvent;
import p2pool4j.work.SubmitResult;

/**
 * Per-worker counters and a 10-minute hashrate window in memory, fed by every classified submit
 * (the reference's local rate monitor). Thread-safe: events come from every connection's event
 * loop; readers take snapshots. The SQLite history (minute buckets) builds on these events.
 */
public final class LiveStats {
    static final long WINDOW_MS = 600_000;
    /**
     * The window's resolution. One-second buckets held up to 600 entries (26 KB) a worker that
     * found a share every second, 26 MB for 1,000 rigs, growing for ten minutes after a restart;
     * ten-second ones hold at most 61 (2.7 KB).
     */
    static final long BUCKET_MS = 10_000;
    static final int MAX_WORKERS = 100_000;

    /** One worker as the API shows it. */
    public record WorkerSnapshot(String worker, String address, long accepted, long stale, long doa, long rejected, long shares,
            long blocks, double hashrate, double deadHashrate, double bestDifficulty, double lastDifficulty, long lastShareMillis,
            String userAgent, Map<SubmitResult, Long> byResult, double shareDifficulty, long lastSubmitMillis) {}

    private static final class Worker {
        final String key;
        String address = "";
        long accepted;
        long stale;
        long doa;
        long rejected;
        long shares;
        long blocks;
        double best;
        double lastDifficulty;
        double shareDifficulty;
        long lastSubmit;
        long last;
        String agent = "";
        /** Submits by result ordinal (a boxed map cost an allocation per submit). */
        final long[] byResult = new long[SubmitResult.values().length];
        /** One entry per {@link #BUCKET_MS} with shares: {bucket start ms, work in hashes, dead work}; at most 61. */
        final ArrayDeque<double[]> window = new ArrayDeque<>();

        Worker(String key) {
            this.key = key;
        }
    }

    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final long startedMillis;

    public LiveStats() {
        this(System::currentTimeMillis);
    }

    /** @param clock the wall clock in ms: the window ends at its reading when the stats are read */
    public LiveStats(LongSupplier clock) {
        this.clock = clock;
        this.startedMillis = clock.getAsLong();
    }

    public long startedMillis() {
        return startedMillis;
    }

    private final RejectLog rejects = new RejectLog();

    /** The recent rejected submits of each worker. */
    public RejectLog rejects() {
        return rejects;
    }

    public void accept(SubmitEvent e) {
        String key = e.workerKey().isEmpty() ? "(no name)" : e.workerKey();
        if (!e.result().accepted()) {
            rejects.add(key, e.result(), e.difficulty(), e.timeMillis());
        }
        Worker w = workers.get(key); // one lookup for a known worker: this runs for every submit
        if (w == null) {
            w = workers.computeIfAbsent(workers.size() >= MAX_WORKERS ? "(other)" : key, Worker::new);
        }
        synchronized (w) {
            w.byResult[e.result().ordinal()]++;
            if (e.userAgent() != null && !e.userAgent().isEmpty()) {
                w.agent = e.userAgent();
            }
            if (!e.address().isEmpty()) {
                w.address = e.address();
            }
            if (e.shareDifficulty() > 0) {
                w.shareDifficulty = e.shareDifficulty();
            }
            w.lastSubmit = Math.max(w.lastSubmit, e.timeMillis());
            if (e.result().accepted()) {
                w.accepted++;
                w.last = e.timeMillis();
                w.lastDifficulty = e.difficulty();
                w.best = Math.max(w.best, e.achievedDifficulty());
                if (e.doa()) {
                    w.doa++;
                }
                double work = e.difficulty() * 4294967296.0;
                long bucket = Math.floorDiv(e.timeMillis(), BUCKET_MS) * BUCKET_MS;
                double[] lastBucket = w.window.peekLast();
                if (lastBucket != null && lastBucket[0] >= bucket) {
                    // the same bucket, or an event from a loop whose clock read a moment earlier
                    lastBucket[1] += work;
                    lastBucket[2] += e.doa() ? work : 0;
                } else {
                    w.window.addLast(new double[] {bucket, work, e.doa() ? work : 0});
                }
            } else if (e.result() == SubmitResult.STALE) {
                w.stale++;
            } else {
                w.rejected++;
            }
            if (e.share()) {
                w.shares++;
            }
            trim(w, e.timeMillis());
        }
    }

    /**
     * Counts a block the worker found and the node submitted (not every solution that met the
     * block target: on regtest nearly all do, and only one per height is sent).
     */
    public void blockFound(p2pool4j.work.FoundBlock b) {
        if (!"pending".equals(b.verdict())) {
            return; // the verdict of a block already counted, or one never submitted
        }
        Worker w = workers.computeIfAbsent(b.finder().isEmpty() ? "(no name)" : b.finder(), Worker::new);
        synchronized (w) {
            w.blocks++;
        }
    }

    /** The results a worker has had, with their counts (those it never had are absent). */
    private static Map<SubmitResult, Long> byResult(long[] counts) {
        EnumMap<SubmitResult, Long> out = new EnumMap<>(SubmitResult.class);
        for (SubmitResult r : SubmitResult.values()) {
            if (counts[r.ordinal()] > 0) {
                out.put(r, counts[r.ordinal()]);
            }
        }
        return Map.copyOf(out);
    }

    /** How many buckets a worker's window holds now (the bound a test checks). */
    int windowEntries(String worker) {
        Worker w = workers.get(worker);
        if (w == null) {
            return 0;
        }
        synchronized (w) {
            return w.window.size();
        }
    }

    /** The first bucket still in the window at {@code now}: the window covers from its start to now. */
    private static long windowStart(long now) {
        return Math.floorDiv(now - WINDOW_MS + BUCKET_MS - 1, BUCKET_MS) * BUCKET_MS;
    }

    private static void trim(Worker w, long now) {
        long start = windowStart(now);
        while (!w.window.isEmpty() && w.window.peekFirst()[0] < start) {
            w.window.removeFirst();
        }
    }

    /** Every worker; hashrates are the accepted work of the last 10 minutes (to 10 s) over the time it spans. */
    public List<WorkerSnapshot> workers() {
        long now = clock.getAsLong();
        double span = Math.max(1, now - Math.max(startedMillis, windowStart(now))) / 1000.0;
        List<WorkerSnapshot> out = new ArrayList<>();
        for (Worker w : workers.values()) {
            synchronized (w) {
                trim(w, now);
                double work = 0;
                double dead = 0;
                for (double[] d : w.window) {
                    work += d[1];
                    dead += d[2];
                }
                out.add(new WorkerSnapshot(w.key, w.address, w.accepted, w.stale, w.doa, w.rejected, w.shares, w.blocks, work / span,
                        dead / span, w.best, w.lastDifficulty, w.last, w.agent, byResult(w.byResult), w.shareDifficulty, w.lastSubmit));
            }
        }
        out.sort((a, b) -> a.worker().compareTo(b.worker()));
        return out;
    }
}
