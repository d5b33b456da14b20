package p2pool4j.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stratum sessions against a worker port, bounded in count and time: N sessions subscribe and
 * authorize, then submit random nonces either at an aggregate rate (open loop, for latency at a
 * given load) or with a fixed number outstanding per session (closed loop, for capacity). Every
 * reply's latency is kept; every session notes when each new prevhash first reached it.
 */
final class LoadGenerator {
    /**
     * {@code difficulty}: "" for vardiff, or "+N" to pin each session's pseudo-share difficulty (then some submits are accepted).
     * {@code tickMs}: the open loop's pacing; each tick sends what the rate owes since the last one, round-robin over the
     * sessions, so a longer tick is a burst of that many rigs submitting at the same instant.
     */
    record Options(String host, int port, int sessions, int rate, int window, int seconds, String user, String difficulty, int tickMs) {
        Options(String host, int port, int sessions, int rate, int window, int seconds, String user, String difficulty) {
            this(host, port, sessions, rate, window, seconds, user, difficulty, 1);
        }
    }

    /** What a run measured; latencies in nanoseconds, sorted. */
    record Result(int requested, int held, long connectFailures, long sent, long answered, long accepted, double seconds, long[] latencies,
            Map<String, long[]> arrivals) {
        double perSecond() {
            return answered / seconds;
        }

        double acceptedPerSecond() {
            return accepted / seconds;
        }

        double latencyMs(double pct) {
            return latencies.length == 0 ? Double.NaN : latencies[(int) Math.min(latencies.length - 1, latencies.length * pct / 100)] / 1e6;
        }
    }

    private static final class Session {
        volatile NetSocket socket;
        volatile io.vertx.core.Context context;
        volatile Thread loop;
        volatile String jobId;
        volatile String ntime;
        long en2;
        long nextId = 10;
        final Map<Long, Long> pending = new ConcurrentHashMap<>();
        final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    }

    private LoadGenerator() {}

    static final long WARM_UP_MS = 5_000;


    static Result run(Vertx vertx, Options o) throws Exception {
        return run(vertx, o, () -> { });
    }

    /** {@code atMeasureStart} runs when the warm-up ends and the measured window begins. */
    static Result run(Vertx vertx, Options o, Runnable atMeasureStart) throws Exception {
        return run(vertx, o, atMeasureStart, () -> {});
    }

    /** {@code whileHeld} runs after the measured window, its sessions still connected (and idle). */
    static Result run(Vertx vertx, Options o, Runnable atMeasureStart, Runnable whileHeld) throws Exception {
        NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true));
        java.util.Queue<Session> live = new java.util.concurrent.ConcurrentLinkedQueue<>();
        LongList latencies = new LongList();
        AtomicLong sent = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        boolean[] running = {true};
        List<io.vertx.core.Context> loops = eventLoops(vertx);
        for (int i = 0; i < o.sessions(); i++) {
            int n = i;
            Session s = new Session();
            loops.get(i % loops.size()).runOnContext(v -> connect(client, o, s, n, live, latencies, sent, answered, accepted, failed, running));
            if (i % 500 == 499) {
                Thread.sleep(20); // pace the connects
            }
        }
        long setUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(30, o.sessions() / 500));
        while (System.nanoTime() < setUpEnd && live.stream().filter(s -> s.jobId != null).count() + failed.get() < o.sessions()) {
            Thread.sleep(50);
        }
        latencies.clear();
        List<Long> timers = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Session> ready = new ArrayList<>();
        live.stream().filter(s -> s.jobId != null).forEach(ready::add);
        if (o.rate() == 0) {
            for (Session s : ready) {
                for (int k = 0; k < o.window(); k++) {
                    submit(s, o, sent);
                }
            }
        } else if (!ready.isEmpty()) {
            // Open loop: each event loop sends for the sessions it owns, so a submit is written on its socket's thread
            // and its latency is the node's, not a hop inside this generator.
            // Grouped by event-loop thread (each connection has a context of its own, but the loops are few).
            Map<Thread, List<Session>> byLoop = new java.util.HashMap<>();
            ready.forEach(x -> byLoop.computeIfAbsent(x.loop, k -> new ArrayList<>()).add(x));
            for (Map.Entry<Thread, List<Session>> e : byLoop.entrySet()) {
                List<Session> mine = e.getValue();
                double perTick = o.rate() * o.tickMs() / 1000.0 * mine.size() / ready.size(); // submits per tick for this loop
                mine.get(0).context.runOnContext(v -> {
                    double[] due = {0};
                    long[] cursor = {0};
                    timers.add(vertx.setPeriodic(o.tickMs(), id -> {
                        due[0] += perTick;
                        for (; due[0] >= 1; due[0]--) {
                            submit(mine.get((int) (cursor[0]++ % mine.size())), o, sent);
                        }
                    }));
                });
            }
        }
        // Warm-up (the node's JIT compiles the submit path in its first thousands of submits): not measured.
        Thread.sleep(WARM_UP_MS);
        atMeasureStart.run();
        latencies.clear();
        long sentBefore = sent.get();
        long answeredBefore = answered.get();
        long acceptedBefore = accepted.get();
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(o.seconds());
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        running[0] = false;
        timers.forEach(vertx::cancelTimer);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long done = answered.get() - answeredBefore;
        long acceptedDone = accepted.get() - acceptedBefore;
        Thread.sleep(500); // the last answers; not counted in the rate
        Map<String, long[]> arrivals = new java.util.HashMap<>();
        Map<String, LongList> byPrev = new java.util.HashMap<>();
        for (Session s : ready) {
            s.firstSeen.forEach((prev, at) -> byPrev.computeIfAbsent(prev, k -> new LongList()).add(at));
        }
        byPrev.forEach((k, v) -> arrivals.put(k, v.sorted()));
        whileHeld.run();
        for (Session s : live) {
            s.socket.close();
        }
        client.close();
        return new Result(o.sessions(), ready.size(), failed.get(), sent.get() - sentBefore, done, acceptedDone, elapsed, latencies.sorted(), arrivals);
    }

    /** Opens one session; runs on the event loop that is to own it. */
    private static void connect(NetClient client, Options o, Session s, int n, java.util.Queue<Session> live, LongList latencies,
            AtomicLong sent, AtomicLong answered, AtomicLong accepted, AtomicLong failed, boolean[] running) {
        client.connect(o.port(), o.host()).onComplete(ar -> {
            if (ar.failed()) {
                failed.incrementAndGet();
                return;
            }
            s.socket = ar.result();
            s.context = Vertx.currentContext();
            s.loop = Thread.currentThread();
            s.socket.handler(RecordParser.newDelimited("\n", line -> {
                long id = replyId(line);
                if (id < 0) {
                    long now = System.nanoTime();
                    int at = indexOf(line, NOTIFY, 0);
                    if (at >= 0) {
                        // ["job","prev","coinb1","coinb2",[branch...],"version","bits","ntime",clean]: read in place, only the
                        // three fields turned into strings, so that 5,000 sessions' notifies cost this generator little
                        int job = at + NOTIFY.length + 1;
                        int jobEnd = indexOf(line, QUOTE, job);
                        int prev = jobEnd + 3;
                        String prevHash = line.getString(prev, prev + 64, "ISO-8859-1");
                        int end = line.length() - 1;
                        while (end > 0 && line.getByte(end) != ',') {
                            end--; // the comma before clean_jobs
                        }
                        s.jobId = line.getString(job, jobEnd, "ISO-8859-1");
                        s.ntime = line.getString(end - 9, end - 1, "ISO-8859-1");
                        s.firstSeen.putIfAbsent(prevHash, now);
                    }
                } else if (id >= 10) {
                    Long at = s.pending.remove(id);
                    if (at != null) {
                        long lat = System.nanoTime() - at;
                        latencies.add(lat);
                        answered.incrementAndGet();
                        if (accepted(line)) {
                            accepted.incrementAndGet();
                        }
                        if (o.rate() == 0 && running[0]) {
                            submit(s, o, sent); // closed loop: one out, one in
                        }
                    }
                }
            }));
            s.socket.write("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"p2pool4j-load/1\"]}\n"
                    + "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"" + o.user() + ".rig" + n + o.difficulty() + "\",\"x\"]}\n");
            live.add(s);
        });
    }

    /**
     * One context per event loop of {@code vertx}. Connections opened from a thread that is not
     * Vert.x's would all share that thread's one (sticky) context, so one loop would carry every
     * session and the measurement would be this generator's single thread.
     */
    static List<io.vertx.core.Context> eventLoops(Vertx vertx) throws Exception {
        List<io.vertx.core.Context> out = new java.util.concurrent.CopyOnWriteArrayList<>();
        int n = 0;
        for (Object loop : ((io.vertx.core.internal.VertxInternal) vertx).nettyEventLoopGroup()) {
            n++;
        }
        vertx.deployVerticle(() -> new io.vertx.core.VerticleBase() {
            @Override
            public io.vertx.core.Future<?> start() throws Exception {
                out.add(context);
                return super.start();
            }
        }, new io.vertx.core.DeploymentOptions().setInstances(n)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return out;
    }

    private static void submit(Session s, Options o, AtomicLong sent) {
        long rid;
        long en2;
        synchronized (s) {
            rid = s.nextId++;
            en2 = ++s.en2;
        }
        String nonce = hex8(ThreadLocalRandom.current().nextInt());
        s.pending.put(rid, System.nanoTime());
        s.socket.write(Buffer.buffer("{\"id\":" + rid + ",\"method\":\"mining.submit\",\"params\":[\"w\",\"" + s.jobId + "\",\""
                + hex8((int) en2) + "\",\"" + s.ntime + "\",\"" + nonce + "\"]}\n"));
        sent.incrementAndGet();
    }

    private static String hex8(int v) {
        String h = Integer.toHexString(v);
        return "00000000".substring(h.length()) + h;
    }

    private static final byte[] NOTIFY = "\"mining.notify\",\"params\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] QUOTE = {'"'};

    /** Where {@code what} first occurs in {@code b} from {@code from}, or -1. */
    private static int indexOf(Buffer b, byte[] what, int from) {
        outer:
        for (int i = from; i <= b.length() - what.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (b.getByte(i + k) != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Whether a reply says "result":true (an accepted submit). */
    private static boolean accepted(Buffer line) {
        return line.toString(java.nio.charset.StandardCharsets.ISO_8859_1).contains("\"result\":true");
    }

    /** The id of a reply line ({"id":N,...} as the node writes it), or -1 for anything else (a notification). */
    private static long replyId(Buffer line) {
        if (line.length() < 7 || line.getByte(0) != '{' || line.getByte(1) != '"' || line.getByte(2) != 'i' || line.getByte(3) != 'd'
                || line.getByte(5) != ':') {
            return -1;
        }
        long id = 0;
        int i = 6;
        for (; i < line.length() && line.getByte(i) >= '0' && line.getByte(i) <= '9'; i++) {
            id = id * 10 + (line.getByte(i) - '0');
        }
        return i == 6 ? -1 : id;
    }

    /** A growable long array, thread-safe by its lock (latencies arrive on every event loop). */
    static final class LongList {
        private long[] a = new long[1024];
        private int n;

        synchronized void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        synchronized void clear() {
            n = 0;
        }

        synchronized long[] sorted() {
            long[] c = Arrays.copyOf(a, n);
            Arrays.sort(c);
            return c;
        }
    }
}
