package p2pool4j.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar target/benchmarks.jar load [--sessions N] [--rate R | --window W] [--seconds S]
 * [--block-every S] [--jar target/p2pool4j.jar] [--jvm "OPTIONS"] [--loops N] [--tick-ms T]
 * [--per-block] [--floor] [--txs N] [--chain N]}: the load harness. Starts the real service jar as its own process,
 * with the JVM options of the service's env file and the same verticle layout, against a
 * stand-in bitcoind on loopback (testnet, whose sharechain does not wait for peers, with a
 * template at mainnet difficulty), then drives N Stratum sessions from this JVM and prints:
 * sessions held, submits/s answered, submit latency p50/p99/p99.9, new-work broadcast latency
 * (new template to each session's notify, and to the last session's) p50/p99, and the node's RSS
 * and heap after a full GC, with the sessions still connected. Everything on 127.0.0.1; bounded
 * in time.
 * The generator runs its sessions on {@code --loops} event loops (2), sending at the rate in
 * {@code --tick-ms} ticks (1 ms: a few submits an instant, as independent rigs; 5 ms sends
 * bursts of 25 submits at 5,000/s, which earlier figures used); {@code --per-block} prints each
 * block's first, median and last session; {@code --floor} runs it all against {@link EchoStratum};
 * {@code --txs N} puts N transactions in the template (3,000: a mainnet block's 12-hash merkle
 * branch, folded for every submit; 0 by default, as earlier figures ran); {@code --chain N} starts
 * the node with a stored chain of N shares (8,640: mainnet's length) on the simulation network,
 * whose easy targets make about every other submit a share: give it a low {@code --rate} when
 * the figure wanted is memory with a chain loaded, not submit throughput.
 */
public final class LoadHarness {
    private LoadHarness() {}

    public static int run(String[] args, PrintStream out) throws Exception {
        int sessions = 1000;
        int rate = 0;
        int window = 4;
        int seconds = 20;
        int blockEvery = 5;
        String jar = "target/p2pool4j.jar";
        String jvm = null;
        int loops = 2;
        int tickMs = 1;
        boolean perBlock = false;
        boolean floor = false;
        int txs = 0;
        int chain = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Math.min(900, Integer.parseInt(args[++i]));
                case "--block-every" -> blockEvery = Integer.parseInt(args[++i]);
                case "--jar" -> jar = args[++i];
                case "--jvm" -> jvm = args[++i];
                case "--loops" -> loops = Math.max(1, Math.min(8, Integer.parseInt(args[++i])));
                case "--per-block" -> perBlock = true;
                case "--floor" -> floor = true;
                case "--txs" -> txs = Math.max(0, Math.min(20_000, Integer.parseInt(args[++i])));
                case "--chain" -> chain = Math.max(0, Math.min(20_000, Integer.parseInt(args[++i])));
                case "--tick-ms" -> tickMs = Math.max(1, Math.min(100, Integer.parseInt(args[++i])));
                default -> {
                    out.println("usage: load [--sessions N] [--rate R | --window W] [--seconds S] [--block-every S] [--jar JAR] [--jvm OPTS]"
                            + " [--loops N] [--tick-ms T] [--per-block] [--floor] [--txs N] [--chain N]");
                    return 2;
                }
            }
        }
        if (jvm == null) {
            jvm = serviceJvmOptions();
        }
        Vertx vertx = benchVertx(new VertxOptions().setEventLoopPoolSize(loops));
        // The stand-in has a loop of its own: a template it owes the node never waits behind this generator's reads.
        Vertx bitcoindVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        StandInBitcoind bitcoind = new StandInBitcoind(bitcoindVertx, txs, chain > 0 ? "regtest" : "test");
        ServiceNode started = floor ? ServiceNode.echoFloor(jvm, out)
                : ServiceNode.start(bitcoind, jar, jvm, sessions + 100, sessions + 100, chain, out);
        if (started == null) {
            bitcoind.stop();
            vertx.close();
            bitcoindVertx.close();
            return 1;
        }
        Process node = started.process();
        int workerPort = started.workerPort();
        int webPort = started.webPort();
        try {
            boolean echo = floor;
            java.util.Map<String, Long> announcedAt = floor ? new java.util.concurrent.ConcurrentHashMap<>() : bitcoind.announcedAt;
            long timer = bitcoindVertx.setPeriodic(blockEvery * 1000L, id -> {
                if (echo) {
                    String prev = p2pool4j.bitcoin.Hex.encode(p2pool4j.bitcoin.Hashes.sha256(Long.toString(System.nanoTime()).getBytes()));
                    announcedAt.put(prev, System.nanoTime());
                    started.announce(prev);
                } else {
                    bitcoind.newBlock();
                }
            });
            java.util.TreeMap<Double, Double>[] before = new java.util.TreeMap[1];
            long[] measuredFrom = {Long.MAX_VALUE};
            String[] held = new String[2]; // RSS and heap, taken with every session still connected
            java.util.Map<String, double[]>[] gc = new java.util.Map[2]; // the node's pauses at the window's start and end
            LoadGenerator.Result r = LoadGenerator.run(vertx, new LoadGenerator.Options("127.0.0.1", workerPort, sessions, rate, window,
                    seconds, ServiceNode.PAYOUT, "", tickMs), () -> {
                        measuredFrom[0] = System.nanoTime();
                        before[0] = buckets(webPort, "p2pool_stratum_submit_seconds");
                        gc[0] = gcPauses(webPort);
                    }, () -> {
                        gc[1] = gcPauses(webPort); // before the full collection heapAfterGc asks for
                        try {
                            held[0] = rssKb(node.pid());
                            held[1] = echo ? "" : heapAfterGc(node.pid());
                        } catch (Exception e) {
                            held[0] = held[1] = "? (" + e + ")";
                        }
                    });
            java.util.TreeMap<Double, Double> after = buckets(webPort, "p2pool_stratum_submit_seconds");
            bitcoindVertx.cancelTimer(timer);
            List<Long> each = new ArrayList<>();
            List<Long> last = new ArrayList<>();
            int[] everyone = {0};
            int[] announced = {0};
            List<long[]> blocks = new ArrayList<>(); // announced at, then first, median and last session's delay
            announcedAt.forEach((prev, t0) -> {
                if (t0 < measuredFrom[0]) {
                    return; // announced in the warm-up, like the submits not counted
                }
                announced[0]++;
                long[] a = r.arrivals().get(prev);
                if (a != null && a.length >= r.held()) {
                    everyone[0]++;
                }
                if (a != null && a.length >= r.held() * 99L / 100 && r.held() > 0) {
                    for (long t : a) {
                        each.add(t - t0);
                    }
                    last.add(a[a.length - 1] - t0);
                    blocks.add(new long[] {t0, a[0] - t0, a[a.length / 2] - t0, a[a.length - 1] - t0});
                }
            });
            each.sort(null);
            last.sort(null);
            String rss = held[0];
            String heap = held[1];
            out.printf("jvm: %s%n", jvm);
            out.printf("generator: %d event loop(s), open loop paced in %d-ms ticks, transport %s%n", loops, tickMs, transportName(vertx));
            out.printf("sessions: %d requested, %d held (subscribed, authorized, got a job), %d connects failed%n", r.requested(), r.held(),
                    r.connectFailures());
            out.printf("submits: %d sent, %d answered in %.0f s = %.0f answered/s (%s)%n", r.sent(), r.answered(), r.seconds(),
                    r.perSecond(), rate == 0 ? window + " outstanding per session" : "offered " + rate + "/s");
            out.printf("submit latency: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms%n", r.latencyMs(50), r.latencyMs(99), r.latencyMs(99.9));
            if (!floor) {
                out.printf("  of which in the node (p2pool_stratum_submit_seconds, line read to answer written): p50 <= %s, p99 <= %s,"
                        + " p99.9 <= %s%n", bucketQuantile(before[0], after, 0.5), bucketQuantile(before[0], after, 0.99),
                        bucketQuantile(before[0], after, 0.999));
            }
            if (!each.isEmpty()) {
                out.printf("new-work broadcast (template -> notify): every session p50 %.1f ms, p99 %.1f ms; last session per block"
                        + " p50 %.1f ms, p99 %.1f ms (%d blocks)%n", pct(each, 50), pct(each, 99), pct(last, 50), pct(last, 99), last.size());
            } else {
                out.println("new-work broadcast: no block reached 99 % of the sessions");
            }
            if (perBlock) {
                blocks.sort(java.util.Comparator.comparingLong(b -> b[0]));
                for (long[] b : blocks) {
                    out.printf("  block at +%.1f s: first session %.1f ms, median %.1f ms, last %.1f ms%n", (b[0] - blocks.get(0)[0]) / 1e9,
                            b[1] / 1e6, b[2] / 1e6, b[3] / 1e6);
                }
            }
            out.printf("blocks announced in the measured window: %d, of which reached every held session: %d%n", announced[0],
                    everyone[0]);
            if (floor) {
                out.printf("FLOOR: these figures are the stand-in EchoStratum's (answers without checking), not the node's; RSS %s%n", rss);
                return 0;
            }
            out.printf("node: RSS %s, heap after full GC %s; node-side fan-out of the last block (p2pool_work_fanout_seconds) %s%n",
                    rss, heap, metric(webPort, "p2pool_work_fanout_seconds"));
            out.printf("node GC pauses in the measured window (jvm_gc_pause_seconds): %s%n", gcDelta(gc[0], gc[1]));
            return 0;
        } finally {
            started.stop(out);
            bitcoind.stop();
            vertx.close();
            bitcoindVertx.close();
        }
    }

    /** A histogram's cumulative bucket counts by upper bound (seconds) from the node's /metrics; empty if it cannot be read. */
    static java.util.TreeMap<Double, Double> buckets(int webPort, String name) {
        java.util.TreeMap<Double, Double> out = new java.util.TreeMap<>();
        try {
            String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + webPort + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("^" + name + "_bucket\\{le=\"([^\"]+)\"[^}]*\\} (\\S+)$", Pattern.MULTILINE).matcher(body);
            while (m.find()) {
                out.put(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
            }
        } catch (Exception unreadable) {
            // printed as "?"
        }
        return out;
    }

    /** The smallest bucket bound holding quantile {@code q} of what was recorded between two scrapes. */
    static String bucketQuantile(java.util.TreeMap<Double, Double> before, java.util.TreeMap<Double, Double> after, double q) {
        if (before == null || after.isEmpty()) {
            return "?";
        }
        double total = after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
        for (java.util.Map.Entry<Double, Double> e : after.entrySet()) {
            if (e.getValue() - before.getOrDefault(e.getKey(), 0.0) >= q * total) {
                return e.getKey().isInfinite() ? "> 1 s" : String.format("%.2f ms", e.getKey() * 1000);
            }
        }
        return "?";
    }

    /** One value from the node's /metrics, or "?". */
    /** The node's collections so far, by action ("end of minor GC", "end of major GC"): count and seconds paused. */
    static java.util.Map<String, double[]> gcPauses(int webPort) {
        java.util.Map<String, double[]> out = new java.util.TreeMap<>();
        try {
            String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + webPort + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("^jvm_gc_pause_seconds_(count|sum)\\{[^}]*action=\"([^\"]+)\"[^}]*\\} (\\S+)$", Pattern.MULTILINE)
                    .matcher(body);
            while (m.find()) {
                out.computeIfAbsent(m.group(2), k -> new double[2])[m.group(1).equals("count") ? 0 : 1] += Double.parseDouble(m.group(3));
            }
        } catch (Exception unreadable) {
            return null;
        }
        return out;
    }

    static String gcDelta(java.util.Map<String, double[]> from, java.util.Map<String, double[]> to) {
        if (from == null || to == null) {
            return "?";
        }
        List<String> parts = new ArrayList<>();
        to.forEach((action, v) -> {
            double[] f = from.getOrDefault(action, new double[2]);
            long n = Math.round(v[0] - f[0]);
            double ms = (v[1] - f[1]) * 1000;
            parts.add(String.format("%s %d (%.0f ms in all, %.1f ms each)", action.replace("end of ", ""), n, ms, n == 0 ? 0 : ms / n));
        });
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    static String metric(int webPort, String name) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + webPort + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            for (String l : r.body().split("\n")) {
                if (l.startsWith(name + " ")) {
                    return String.format("%.1f ms", Double.parseDouble(l.substring(name.length() + 1)) * 1000);
                }
            }
        } catch (Exception e) {
            return "? (" + e.getMessage() + ")";
        }
        return "?";
    }

    /** The service's environment file: a node started without it would measure a process production never runs. */
    private static List<String> serviceEnvFile() throws Exception {
        Path env = Path.of("config/p2pool4j.env");
        if (!Files.exists(env)) {
            throw new IllegalStateException(env.toAbsolutePath() + " not found: run the harness from the repository");
        }
        return Files.readAllLines(env);
    }

    /** The other KEY=VALUE lines of the service's env file (MALLOC_ARENA_MAX...), JAVA_OPTS aside. */
    static java.util.Map<String, String> serviceEnvironment() throws Exception {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (String l : serviceEnvFile()) {
            int eq = l.indexOf('=');
            if (!l.startsWith("#") && eq > 0 && !l.startsWith("JAVA_OPTS=")) {
                out.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
            }
        }
        return out;
    }

    /** JAVA_OPTS of the service's env file, as systemd passes them (plus the unit's own flag). */
    static String serviceJvmOptions() throws Exception {
        String opts = null;
        for (String l : serviceEnvFile()) {
            if (l.startsWith("JAVA_OPTS=")) {
                opts = l.substring("JAVA_OPTS=".length());
            }
        }
        if (opts == null) {
            throw new IllegalStateException("config/p2pool4j.env sets no JAVA_OPTS");
        }
        return opts.contains("ExitOnOutOfMemoryError") ? opts : "-XX:+ExitOnOutOfMemoryError " + opts;
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1e6;
    }

    /**
     * A Vert.x on the service's transport (native epoll where it loads, as {@code NodeRuntime}
     * asks for it), or NIO when {@code BENCH_TRANSPORT=nio}: the same run on both shows what the
     * transport is worth.
     */
    static Vertx benchVertx(VertxOptions options) {
        boolean nio = "nio".equals(System.getenv("BENCH_TRANSPORT"));
        return Vertx.builder().with(options.setPreferNativeTransport(!nio)).build();
    }

    static String transportName(Vertx vertx) {
        return ((io.vertx.core.internal.VertxInternal) vertx).transport().getClass().getSimpleName();
    }

    private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

    /**
     * A port free on every address, below the kernel's ephemeral range (32768+): the floods' client
     * sockets take ephemeral ports by the thousand, and a port picked there can be gone by the time
     * the node binds it.
     */
    static synchronized int freePort() throws Exception {
        java.util.Random random = new java.util.Random();
        for (int tries = 0; tries < 2_000; tries++) {
            int port = 20_000 + random.nextInt(12_000);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress(port), 1);
                return port;
            } catch (java.io.IOException inUse) {
                // another process has it: the next
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }

    static String rssKb(long pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (l.startsWith("VmRSS")) {
                long kb = Long.parseLong(l.replaceAll("\\D", ""));
                return String.format("%.0f MB", kb / 1024.0);
            }
        }
        return "?";
    }

    /** Runs a full GC in the node (jcmd) and sums what the heap still uses. */
    static String heapAfterGc(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.run").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        // The generations' "used" lines are the heap; Metaspace (and its class space, part of it) is printed apart.
        long usedK = 0;
        Matcher m = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K").matcher(text);
        while (m.find()) {
            usedK += Long.parseLong(m.group(1));
        }
        Matcher meta = Pattern.compile("Metaspace\\s+used (\\d+)K").matcher(text);
        String metaspace = meta.find() ? String.format(" (metaspace %.1f MB more)", Long.parseLong(meta.group(1)) / 1024.0) : "";
        return usedK == 0 ? "? (" + text.strip().replace('\n', ' ') + ")" : String.format("%.1f MB", usedK / 1024.0) + metaspace;
    }
}
