package p2pool4j.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import p2pool4j.work.FoundBlock;
import p2pool4j.work.SubmitEvent;
import p2pool4j.work.SubmitResult;

/**
 * Prometheus metrics through Micrometer: {@code p2pool_} names in base units, counters ending in
 * {@code _total}. Counters are fed by submit events from any thread; gauges read the last
 * {@link Gauges} snapshot the node published, so a scrape never touches the node's state.
 * Per-worker series are opt-in and capped, because every rig adds series.
 */
public final class Metrics {
    static final int MAX_WORKER_SERIES = 1_000;

    /** Node figures sampled on the node's context. */
    public record Gauges(int peersIncoming, int peersOutgoing, int miners, int sharechainHeight, int sharechainShares,
            boolean bitcoindConnected, long bitcoindHeight, double poolHashrate, double localHashrate) {
        public static final Gauges NONE = new Gauges(0, 0, 0, 0, 0, false, -1, 0, 0);
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final boolean perWorker;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Set<String> workerSeries = ConcurrentHashMap.newKeySet();
    /** By result ordinal, registered on a result's first submit (a series appears when it has counted one). */
    private final java.util.concurrent.atomic.AtomicReferenceArray<Counter> submits =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(SubmitResult.values().length);
    private final Counter work;
    private final Counter sharesFound;
    private final Counter sharesDoa;
    private volatile Gauges gauges = Gauges.NONE;

    public Metrics(boolean perWorker) {
        this.perWorker = perWorker;
        work = Counter.builder("p2pool.miner.work").baseUnit("hashes").description("Work credited to local miners (difficulty x 2^32 per accepted pseudo-share)")
                .register(registry);
        sharesFound = Counter.builder("p2pool.shares.found").description("Sharechain shares found by local miners").register(registry);
        sharesDoa = Counter.builder("p2pool.shares.found.doa").description("Sharechain shares found on stale work (dead on arrival)").register(registry);
        Counter.builder("p2pool.blocks.found").description("Blocks local miners found that the node submitted to bitcoind").register(registry);
        Counter.builder("p2pool.blocks.accepted").description("Blocks local miners found that bitcoind accepted").register(registry);
        gauge("p2pool.peers", "direction", "incoming", "Connected P2Pool peers", g -> g.peersIncoming());
        gauge("p2pool.peers", "direction", "outgoing", "Connected P2Pool peers", g -> g.peersOutgoing());
        gauge("p2pool.miners", null, null, "Connected miner sessions", g -> g.miners());
        gauge("p2pool.sharechain.height", null, null, "Height of the best share", g -> g.sharechainHeight());
        gauge("p2pool.sharechain.shares", null, null, "Shares held by the tracker", g -> g.sharechainShares());
        gauge("p2pool.bitcoind.connected", null, null, "1 when bitcoind's RPC answers", g -> g.bitcoindConnected() ? 1 : 0);
        gauge("p2pool.bitcoind.height", null, null, "bitcoind's block height", g -> g.bitcoindHeight());
        Gauge.builder("p2pool.pool.hashrate", this, m -> m.gauges.poolHashrate()).baseUnit("hashes.per.second")
                .description("Pool hashrate from the sharechain").register(registry);
        Gauge.builder("p2pool.local.hashrate", this, m -> m.gauges.localHashrate()).baseUnit("hashes.per.second")
                .description("Hashrate of local miners (10-minute window)").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        // Pauses stall every event loop at once: an operator sees them here, the load harness counts them per run.
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Stops listening for the JVM's collections (a node stopped in a JVM that goes on, as in the tests). */
    public void close() {
        gc.close();
    }

    private void gauge(String name, String tag, String value, String help, ToDoubleFunction<Gauges> f) {
        Gauge.Builder<Metrics> b = Gauge.builder(name, this, m -> f.applyAsDouble(m.gauges)).description(help);
        if (tag != null) {
            b.tag(tag, value);
        }
        b.register(registry);
    }

    /** A counter kept elsewhere (e.g. the web server's bad requests), read at each scrape. */
    /** A gauge read at each scrape (any thread). */
    public void gaugeFrom(String name, String help, String baseUnit, java.util.function.Supplier<Number> value) {
        Gauge.builder(name, value, v -> v.get().doubleValue()).description(help).baseUnit(baseUnit).strongReference(true)
                .register(registry); // the supplier is a lambda nothing else holds: a weak gauge would read NaN after a GC
    }

    public void counterFrom(String name, String help, java.util.function.Supplier<Number> value) {
        held.add(value); // Micrometer holds a function counter's object weakly: a lambda nothing else holds would read NaN after a GC
        io.micrometer.core.instrument.FunctionCounter.builder(name, value, v -> v.get().doubleValue()).description(help).register(registry);
    }

    private final java.util.List<Object> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A latency histogram (Prometheus buckets from 50 us to 1 s); the consumer takes nanoseconds, from any thread. */
    public java.util.function.LongConsumer timer(String name, String help) {
        io.micrometer.core.instrument.Timer t = io.micrometer.core.instrument.Timer.builder(name).description(help)
                .serviceLevelObjectives(java.util.stream.LongStream.of(50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 50_000, 250_000, 1_000_000)
                        .mapToObj(java.time.Duration::ofNanos).map(d -> d.multipliedBy(1_000)).toArray(java.time.Duration[]::new))
                .register(registry);
        return nanos -> t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void gauges(Gauges g) {
        gauges = g;
    }

    /** Any thread. */
    public void accept(SubmitEvent e) {
        // Runs for every submit on every worker-port loop: one array read, no string built.
        Counter c = submits.get(e.result().ordinal());
        if (c == null) {
            // register() returns the one meter of that name and tags, so two loops racing here count into the same series
            c = Counter.builder("p2pool.miner.submits").tag("result", resultTag(e.result()))
                    .description("Pseudo-shares submitted by local miners, by result").register(registry);
            submits.set(e.result().ordinal(), c);
        }
        c.increment();
        if (e.result().accepted()) {
            work.increment(e.difficulty() * 4294967296.0);
        }
        if (e.share()) {
            sharesFound.increment();
            if (e.doa()) {
                sharesDoa.increment();
            }
        }
        if (perWorker) {
            String w = e.workerKey().isEmpty() ? "(no name)" : e.workerKey();
            if (!workerSeries.contains(w) && workerSeries.size() >= MAX_WORKER_SERIES) {
                w = "(other)";
            }
            workerSeries.add(w);
            registry.counter("p2pool.worker.submits", "worker", w, "result", resultTag(e.result())).increment();
            if (e.result().accepted()) {
                Counter.builder("p2pool.worker.work").baseUnit("hashes").tag("worker", w).register(registry)
                        .increment(e.difficulty() * 4294967296.0);
            }
        }
    }

    private static String resultTag(SubmitResult r) {
        return r.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Blocks the node submitted to bitcoind (reported once as "pending"), and those bitcoind
     * accepted; solutions never sent (another block on the same parent was) are not blocks found.
     */
    public void blockFound(FoundBlock b) {
        if ("pending".equals(b.verdict())) {
            registry.counter("p2pool.blocks.found").increment();
        } else if ("accepted".equals(b.verdict())) {
            registry.counter("p2pool.blocks.accepted").increment();
        }
    }

    private final java.util.List<Runnable> families = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * A family of counters kept elsewhere as name -> count (the worker port's and the peers'
     * refusals and drops), one series per name under label {@code tag}. Names are the code's own
     * fixed strings, never a stranger's, so the family stays small; a new name gets its series at
     * the next scrape.
     */
    public void counterFamily(String name, String help, String tag, java.util.function.Supplier<java.util.Map<String, Long>> values) {
        java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
        held.add(values);
        families.add(() -> {
            for (String key : values.get().keySet()) {
                if (known.add(key)) {
                    io.micrometer.core.instrument.FunctionCounter.builder(name, values, v -> v.get().getOrDefault(key, 0L))
                            .tag(tag, key).description(help).register(registry);
                }
            }
        });
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        families.forEach(Runnable::run);
        return registry.scrape();
    }
}
