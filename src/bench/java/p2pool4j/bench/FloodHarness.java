package p2pool4j.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code java -jar target/benchmarks.jar flood [--seconds S] [--idle N] [--honest-sessions N]
 * [--honest-rate R] [--jar JAR] [--jvm OPTS]}: the reliability issue's floods against the real
 * service jar (as {@link LoadHarness} starts it: service JVM options, testnet, stand-in bitcoind
 * with a mainnet-difficulty template, so no submit is a block and the honest rigs' rate is theirs,
 * not regtest's block storm). Honest sessions submit at a fixed rate with a pinned difficulty,
 * first calm, then while, all at once and until the window ends: N idle connections from 15
 * addresses, 1,000 getwork long polls, waves of 2,000 concurrent web requests, 10,000 connect/close
 * cycles from one address (half of them send a line first), 200 slowloris connections (Stratum and
 * HTTP, one byte every 5 s), one session pipelining 50,000 submits, and waves of 40 P2Pool
 * connections from one address sending garbage or a 100 MB length claim. Prints the honest rigs'
 * answered and accepted rates and submit latency p50/p95/p99 calm vs flooded, the node's CPU in
 * each window, what each flood achieved, the node's refusal counters, RSS and heap after a full GC.
 * Loopback only; every loop is bounded by the window or a count.
 */
public final class FloodHarness {
    private FloodHarness() {}

    public static int run(String[] args, PrintStream out) throws Exception {
        int seconds = 20;
        int idle = 15_000;
        int honestSessions = 10;
        int honestRate = 100;
        String jar = "target/p2pool4j.jar";
        String jvm = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Math.max(5, Math.min(300, Integer.parseInt(args[++i])));
                case "--idle" -> idle = Math.max(0, Math.min(15_000, Integer.parseInt(args[++i])));
                case "--honest-sessions" -> honestSessions = Math.max(1, Math.min(1_000, Integer.parseInt(args[++i])));
                case "--honest-rate" -> honestRate = Math.max(1, Math.min(50_000, Integer.parseInt(args[++i])));
                case "--jar" -> jar = args[++i];
                case "--jvm" -> jvm = args[++i];
                default -> {
                    out.println("usage: flood [--seconds S] [--idle N] [--honest-sessions N] [--honest-rate R] [--jar JAR] [--jvm OPTS]");
                    return 2;
                }
            }
        }
        if (jvm == null) {
            jvm = LoadHarness.serviceJvmOptions();
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        StandInBitcoind bitcoind = new StandInBitcoind(vertx);
        // The default per-IP cap (1,024): the idle flood spreads over 15 addresses, as from 15 hosts.
        ServiceNode node = ServiceNode.start(bitcoind, jar, jvm, 20_000, 1_024, out);
        if (node == null) {
            bitcoind.stop();
            vertx.close();
            return 1;
        }
        Flood flood = new Flood(node, idle);
        try {
            LoadGenerator.Options honest = new LoadGenerator.Options("127.0.0.1", node.workerPort(), honestSessions, honestRate, 0, seconds,
                    ServiceNode.PAYOUT, "+0.000000001");
            double cpu0 = node.cpuSeconds();
            long w0 = System.nanoTime();
            LoadGenerator.Result calm = LoadGenerator.run(vertx, honest);
            double calmCpu = (node.cpuSeconds() - cpu0) / ((System.nanoTime() - w0) / 1e9);

            flood.start();
            flood.awaitRamp(60);
            cpu0 = node.cpuSeconds();
            w0 = System.nanoTime();
            LoadGenerator.Result flooded = LoadGenerator.run(vertx, honest);
            double floodCpu = (node.cpuSeconds() - cpu0) / ((System.nanoTime() - w0) / 1e9);
            flood.stop();

            out.printf("jvm: %s%n", jvm);
            out.printf("honest: %d sessions offering %d submits/s (difficulty pinned), %d s measured per window%n", honestSessions, honestRate,
                    seconds);
            row(out, "calm", calm, calmCpu);
            row(out, "flooded", flooded, floodCpu);
            // Each random nonce meets the pinned difficulty by chance, so the accepted count carries binomial noise.
            double p = (double) calm.accepted() / Math.max(1, calm.answered());
            double noise = 196 * Math.sqrt(p * (1 - p) / Math.max(1, flooded.answered())) / Math.max(1e-9, p);
            out.printf("flooded/calm: answered %.1f %%, accepted %.1f %% (+-%.1f %% chance at 95 %%); submit p95 flooded %.2f ms"
                    + " (goal: rate within 10 %%, p95 within 10 ms)%n", 100.0 * flooded.perSecond() / Math.max(1e-9, calm.perSecond()),
                    100.0 * flooded.acceptedPerSecond() / Math.max(1e-9, calm.acceptedPerSecond()), noise, flooded.latencyMs(95));
            out.println("flood: " + flood.summary());
            out.printf("node: alive %s, RSS %s, heap after full GC %s%n", node.process().isAlive(), LoadHarness.rssKb(node.process().pid()),
                    LoadHarness.heapAfterGc(node.process().pid()));
            out.println("node counters: " + counters(node.webPort()));
            return node.process().isAlive() ? 0 : 1;
        } finally {
            flood.stop();
            node.stop(out);
            bitcoind.stop();
            vertx.close();
        }
    }

    private static void row(PrintStream out, String name, LoadGenerator.Result r, double cpu) {
        out.printf("  %-8s %d/%d held, %.1f answered/s, %.1f accepted/s, submit p50 %.2f ms, p95 %.2f ms, p99 %.2f ms; node CPU %.0f %%%n",
                name, r.held(), r.requested(), r.perSecond(), r.acceptedPerSecond(), r.latencyMs(50), r.latencyMs(95), r.latencyMs(99),
                100 * cpu);
    }

    /** The refusal and drop counters of the node's /metrics. */
    private static String counters(int webPort) {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
            StringBuilder b = new StringBuilder();
            body.lines().filter(l -> !l.startsWith("#") && (l.startsWith("p2pool_worker_port_events_total") || l.startsWith("p2pool_peer_events_total")
                    || l.startsWith("p2pool_getwork_bad_requests_total") || l.startsWith("p2pool_miners ")))
                    .forEach(l -> b.append("\n  ").append(l));
            return b.toString();
        } catch (Exception e) {
            return "? (" + e + ")";
        }
    }

    /** The attacks, each on a thread of its own, bounded by a count or by {@link #stop}. */
    private static final class Flood {
        private final ServiceNode node;
        private final int idleTarget;
        private final AtomicBoolean running = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final List<Socket> held = new ArrayList<>();
        private final AtomicInteger idle = new AtomicInteger();
        private final AtomicInteger idleFailed = new AtomicInteger();
        private final AtomicInteger polls = new AtomicInteger();
        private final AtomicInteger cycles = new AtomicInteger();
        private final AtomicInteger cyclesRefused = new AtomicInteger();
        private final AtomicInteger slow = new AtomicInteger();
        private final AtomicInteger slowDropped = new AtomicInteger();
        private final AtomicLong pipelined = new AtomicLong();
        private final AtomicLong pipelineAnswers = new AtomicLong();
        private final AtomicInteger p2p = new AtomicInteger();
        private final AtomicInteger webWaves = new AtomicInteger();
        private final AtomicLong webOk = new AtomicLong();
        private final AtomicLong webOther = new AtomicLong();
        private final java.util.Map<String, Integer> webFailures = new java.util.concurrent.ConcurrentHashMap<>();

        Flood(ServiceNode node, int idleTarget) {
            this.node = node;
            this.idleTarget = idleTarget;
        }

        private Socket from(String localIp, int port) throws Exception {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(localIp, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return s;
        }

        private void hold(Socket s) {
            synchronized (held) {
                held.add(s);
            }
        }

        private void spawn(String name, Runnable r) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }

        void start() {
            running.set(true);
            int worker = node.workerPort();
            spawn("flood-idle", () -> {
                for (int i = 0; i < idleTarget && running.get(); i++) {
                    try {
                        hold(from("127.0.1." + (1 + i / 1_000), worker));
                        idle.incrementAndGet();
                    } catch (Exception refused) {
                        idleFailed.incrementAndGet();
                    }
                }
            });
            spawn("flood-long-polls", () -> {
                for (int i = 0; i < 1_000 && running.get(); i++) {
                    try {
                        Socket s = from("127.0.2." + (1 + i / 100), worker);
                        s.getOutputStream().write(("GET /long-polling HTTP/1.1\r\nAuthorization: Basic " + java.util.Base64.getEncoder()
                                .encodeToString((ServiceNode.PAYOUT + ".poll" + i + ":x").getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                        hold(s);
                        polls.incrementAndGet();
                    } catch (Exception refused) {
                        // the node's counters say why
                    }
                }
            });
            spawn("flood-cycles", () -> {
                byte[] line = ("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n").getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 10_000 && running.get(); i++) {
                    try (Socket s = from("127.0.4.1", worker)) {
                        if (i % 2 == 0) {
                            // Half say something and wait for the answer: a refused connection is closed unanswered.
                            s.getOutputStream().write(line);
                            s.setSoTimeout(10_000);
                            if (s.getInputStream().read() < 0) {
                                cyclesRefused.incrementAndGet();
                            }
                        }
                        cycles.incrementAndGet();
                    } catch (Exception refused) {
                        cyclesRefused.incrementAndGet();
                    }
                }
            });
            spawn("flood-slowloris", () -> {
                List<Socket> mine = new ArrayList<>();
                for (int i = 0; i < 200 && running.get(); i++) {
                    try {
                        Socket s = from("127.0.6." + (1 + i / 100), worker);
                        hold(s);
                        mine.add(s);
                        slow.incrementAndGet();
                    } catch (Exception refused) {
                        slowDropped.incrementAndGet();
                    }
                }
                byte[] stratum = "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}".getBytes(StandardCharsets.US_ASCII);
                byte[] http = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
                for (int b = 0; running.get() && b < Math.max(stratum.length, http.length); b++) {
                    for (int i = 0; i < mine.size(); i++) {
                        byte[] text = i % 2 == 0 ? stratum : http;
                        Socket s = mine.get(i);
                        if (s.isClosed()) {
                            continue;
                        }
                        try {
                            s.getOutputStream().write(text[b % text.length]);
                        } catch (Exception dropped) {
                            slowDropped.incrementAndGet();
                            close(s);
                        }
                    }
                    sleep(5_000);
                }
            });
            spawn("flood-pipeline", () -> {
                try (Socket s = from("127.0.5.1", worker)) {
                    OutputStream o = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    Thread reader = new Thread(() -> {
                        byte[] buf = new byte[64 * 1024];
                        try {
                            for (int n; (n = in.read(buf)) > 0;) {
                                for (int k = 0; k < n; k++) {
                                    if (buf[k] == '\n') {
                                        pipelineAnswers.incrementAndGet();
                                    }
                                }
                            }
                        } catch (Exception closed) {
                            // the flood ends it
                        }
                    }, "flood-pipeline-reader");
                    reader.setDaemon(true);
                    reader.start();
                    o.write(("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\""
                            + ServiceNode.PAYOUT + ".pipe\",\"x\"]}\n").getBytes(StandardCharsets.US_ASCII));
                    StringBuilder batch = new StringBuilder();
                    for (int i = 0; i < 50_000 && running.get(); i++) {
                        batch.append("{\"id\":").append(100 + i).append(",\"method\":\"mining.submit\",\"params\":[\"w\",\"1\",\"")
                                .append(String.format("%08x", i)).append("\",\"00000000\",\"00000000\"]}\n");
                        if (batch.length() > 32_000) {
                            o.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                            batch.setLength(0);
                        }
                        pipelined.incrementAndGet();
                    }
                    o.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                    while (running.get()) {
                        sleep(100);
                    }
                } catch (Exception dropped) {
                    // the node may end a session that floods it; its counters say so
                }
            });
            spawn("flood-p2p", () -> {
                byte[] claim = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).put(p2pool4j.sharechain.P2poolNetwork.TESTNET.prefix())
                        .put("version\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII)).putInt(100_000_000).putInt(0).array();
                byte[] garbage = "GET / HTTP/1.1\r\n\r\ngarbage garbage".getBytes(StandardCharsets.US_ASCII);
                while (running.get()) {
                    for (int i = 0; i < 40 && running.get(); i++) {
                        try (Socket s = from("127.0.3.1", node.p2pPort())) {
                            s.getOutputStream().write(i % 2 == 0 ? claim : garbage);
                            s.setSoTimeout(2_000);
                            p2p.incrementAndGet();
                            s.getInputStream().read(); // the node closes it
                        } catch (Exception closedOrRefused) {
                            // expected
                        }
                    }
                    sleep(1_000);
                }
            });
            spawn("flood-web", () -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
                String[] paths = {"/api/v1/status", "/api/v1/workers", "/local_stats", "/metrics", "/index.html"};
                while (running.get()) {
                    List<CompletableFuture<HttpResponse<Void>>> wave = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        wave.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.webPort() + paths[i % paths.length]))
                                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()));
                    }
                    for (CompletableFuture<HttpResponse<Void>> f : wave) {
                        try {
                            int status = f.get(60, TimeUnit.SECONDS).statusCode();
                            if (status == 200) {
                                webOk.incrementAndGet();
                            } else {
                                webOther.incrementAndGet();
                                webFailures.merge("HTTP " + status, 1, Integer::sum);
                            }
                        } catch (Exception e) {
                            webOther.incrementAndGet();
                            Throwable c = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                            webFailures.merge(c.getClass().getSimpleName() + ": " + c.getMessage(), 1, Integer::sum);
                        }
                    }
                    webWaves.incrementAndGet();
                }
            });
        }

        /** Until the idle connections and long polls are all open (or refused), at most {@code seconds}. */
        void awaitRamp(int seconds) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end && (idle.get() + idleFailed.get() < idleTarget || polls.get() < 1_000)) {
                sleep(100);
            }
        }

        void stop() {
            if (!running.getAndSet(false)) {
                return;
            }
            synchronized (held) {
                held.forEach(Flood::close);
                held.clear();
            }
            for (Thread t : threads) {
                try {
                    t.join(70_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        String summary() {
            return String.format("%d idle connections held (%d refused), %d long polls, %d web waves of 2,000 (%d answered 200, %d other),"
                    + " %d connect/close cycles (%d of the half that spoke went unanswered), %d slowloris (%d dropped by the node), %d pipelined submits (%d lines answered),"
                    + " %d P2P garbage/100 MB claims; web failures %s", idle.get(), idleFailed.get(), polls.get(), webWaves.get(), webOk.get(), webOther.get(),
                    cycles.get(), cyclesRefused.get(), slow.get(), slowDropped.get(), pipelined.get(), pipelineAnswers.get(), p2p.get(), webFailures);
        }

        private static void close(Socket s) {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing
            }
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
