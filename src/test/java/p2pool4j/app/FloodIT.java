package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.testminer.TestMiner;
import p2pool4j.testutil.BcoinNode;

/**
 * The floods of the reliability issue's attack run, repeatable and bounded (about a minute): the
 * real jar (service heap flags, 512 MiB heap) mining against bcoin with an honest rig and a
 * latency probe, then at once: 15,000 idle worker-port connections from 15 loopback addresses
 * (fewer when the open-file limit is lower), 1,000 concurrent getwork long polls, 2,000
 * concurrent web requests, and 40 P2Pool connections from one address sending garbage and a
 * 100 MB length claim. The node stays up, the rig keeps being accepted, the probe keeps being
 * answered, RSS stays within the heap plus the JVM's own, and every refusal is on /metrics. The
 * rates and latencies, with and without the flood, are printed: figures, not timed assertions
 * (the flood and the node share two cores here). On regtest nearly every hash the rig sends is a
 * block, so its rate follows the node's block handling; the honest-rig goals are measured by
 * {@code benchmarks.jar flood} (README, Benchmarks) at mainnet difficulty.
 */
class FloodIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RIG = Address.p2pkh(Hashes.hash160("flood rig".getBytes(StandardCharsets.UTF_8)), ChainParams.REGTEST)
            .text();
    private static final int HEAP_MB = 512;

    private static Socket from(String localIp, int port) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(localIp, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }

    /** A Stratum session that submits at a steady pace and times each answer (any answer: accepted or rejected). */
    private static final class Probe implements AutoCloseable {
        final Socket s;
        final OutputStream out;
        final BufferedReader in;
        final Map<Integer, Long> sent = new ConcurrentHashMap<>();
        final List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        volatile String job;
        volatile String ntime;
        final AtomicBoolean run = new AtomicBoolean(true);
        final Thread reader;

        Probe(int port) throws Exception {
            s = from("127.0.0.201", port);
            out = s.getOutputStream();
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            send("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"probe\"]}");
            send("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"" + RIG + ".probe\",\"x\"]}");
            reader = new Thread(() -> {
                try {
                    for (String line; (line = in.readLine()) != null;) {
                        JsonNode n = JSON.readTree(line);
                        if ("mining.notify".equals(n.path("method").asText())) {
                            job = n.get("params").get(0).asText();
                            ntime = n.get("params").get(7).asText();
                        } else if (n.has("id") && n.get("id").isInt()) {
                            Long t0 = sent.remove(n.get("id").asInt());
                            if (t0 != null) {
                                micros.add((System.nanoTime() - t0) / 1_000);
                            }
                        }
                    }
                } catch (Exception closed) {
                    // the test ends it
                }
            }, "probe-reader");
            reader.setDaemon(true);
            reader.start();
        }

        void send(String line) throws Exception {
            synchronized (out) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }

        /** Submits every 20 ms for {@code ms}; returns the answers' latencies in microseconds, sorted. */
        List<Long> pace(long ms) throws Exception {
            micros.clear();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            int id = 1000;
            java.util.Random random = new java.util.Random(7);
            while (System.nanoTime() < end) {
                if (job != null) {
                    id++;
                    sent.put(id, System.nanoTime());
                    send("{\"id\":" + id + ",\"method\":\"mining.submit\",\"params\":[\"" + RIG + ".probe\",\"" + job + "\",\""
                            + String.format("%08x", random.nextInt()) + "\",\"" + ntime + "\",\"" + String.format("%08x", random.nextInt()) + "\"]}");
                }
                Thread.sleep(20);
            }
            Thread.sleep(500);
            List<Long> out = new ArrayList<>(micros);
            Collections.sort(out);
            return out;
        }

        @Override
        public void close() throws Exception {
            s.close();
        }
    }

    private static String pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        return String.format("%.2f ms", sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1000.0);
    }

    private static long rssKb(long pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static long openFileLimit() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (l.startsWith("Max open files")) {
                    return Long.parseLong(l.trim().split("\\s+")[3]);
                }
            }
        } catch (Exception unknown) {
            // below
        }
        return 4096;
    }

    private static double metric(String metrics, String line) {
        return metrics.lines().filter(l -> l.startsWith(line + " ")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void theNodeHoldsUnderFloods() throws Exception {
        try (BcoinNode bcoin = BcoinNode.start()) {
            bcoin.generate(432);
            Path dir = Files.createTempDirectory("p2pool4j-flood");
            Path log = dir.resolve("node.log");
            int worker = BcoinNode.freePort();
            int web = BcoinNode.freePort();
            int p2p = BcoinNode.freePort();
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = List.of(javaBin, "-Xms32m", "-Xmx" + HEAP_MB + "m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Xss512k",
                    "-jar", BcoinNode.repo().resolve("target/p2pool4j.jar").toString(), "--net", "regtest",
                    "-a", Address.p2pkh(Hashes.hash160("operator".getBytes(StandardCharsets.UTF_8)), ChainParams.REGTEST).text(),
                    "--bitcoind-rpc-port", String.valueOf(bcoin.rpcPort()), "--bitcoind-p2p-port", String.valueOf(bcoin.p2pPort()),
                    "--bitcoind-rpc-user", "x", "--bitcoind-rpc-password", BcoinNode.API_KEY, "--datadir", dir.resolve("data").toString(),
                    "--p2pool-port", String.valueOf(p2p), "-w", String.valueOf(worker), "--worker-bind", "127.0.0.1",
                    "--web-port", String.valueOf(web), "--web-bind", "127.0.0.1", "--outgoing-conns", "0", "--max-sessions", "20000");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("MALLOC_ARENA_MAX", "2");
            Process node = pb.start();
            List<Socket> held = new ArrayList<>();
            try {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.readString(log).contains("web UI and API") && node.isAlive() && System.nanoTime() < end) {
                    Thread.sleep(100);
                }
                assertTrue(node.isAlive(), Files.readString(log));
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                try (TestMiner rig = TestMiner.stratum("127.0.0.1", worker, RIG + ".rig", 1, true); Probe probe = new Probe(worker)) {
                    end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (rig.accepted() < 20 && System.nanoTime() < end) {
                        Thread.sleep(50);
                    }
                    long a0 = rig.accepted();
                    List<Long> calm = probe.pace(5_000);
                    double calmRate = (rig.accepted() - a0) / 5.5;

                    // The floods, all at once.
                    int idleTarget = (int) Math.max(1_000, Math.min(15_000, (openFileLimit() - 5_000) / 1));
                    AtomicInteger idle = new AtomicInteger();
                    Thread idler = new Thread(() -> {
                        for (int i = 0; i < idleTarget; i++) {
                            try {
                                Socket s = from("127.0.1." + (1 + i / 1_000), worker);
                                synchronized (held) {
                                    held.add(s);
                                }
                                idle.incrementAndGet();
                            } catch (Exception refusedOrLimit) {
                                // counted by the node
                            }
                        }
                    }, "idle-flood");
                    AtomicInteger polls = new AtomicInteger();
                    Thread poller = new Thread(() -> {
                        for (int i = 0; i < 1_000; i++) {
                            try {
                                Socket s = from("127.0.2." + (1 + i / 16), worker);
                                s.getOutputStream().write(("GET /long-polling HTTP/1.1\r\nAuthorization: Basic " + java.util.Base64.getEncoder()
                                        .encodeToString((RIG + ".poll" + i + ":x").getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n")
                                        .getBytes(StandardCharsets.ISO_8859_1));
                                synchronized (held) {
                                    held.add(s);
                                }
                                polls.incrementAndGet();
                            } catch (Exception refused) {
                                // counted by the node
                            }
                        }
                    }, "long-poll-flood");
                    AtomicInteger p2pSent = new AtomicInteger();
                    Thread peers = new Thread(() -> {
                        byte[] claim = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).put(P2poolNetwork.REGTEST.prefix())
                                .put("version\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII)).putInt(100_000_000).putInt(0).array();
                        // One address holding silent connections at once: the node takes 3 (PeerManager.MAX_INCOMING_PER_IP)
                        // and refuses the rest. The sequential ones below overlap only when the node is slow to close
                        // them, so they alone made the refusal count depend on how loaded the node was.
                        for (int i = 0; i < 6; i++) {
                            try {
                                Socket s = from("127.0.3.2", p2p);
                                synchronized (held) {
                                    held.add(s);
                                }
                            } catch (Exception refused) {
                                // counted by the node
                            }
                        }
                        for (int i = 0; i < 40; i++) {
                            try (Socket s = from("127.0.3.1", p2p)) {
                                s.getOutputStream().write(i % 2 == 0 ? claim : "GET / HTTP/1.1\r\n\r\ngarbage garbage".getBytes(StandardCharsets.US_ASCII));
                                s.getOutputStream().flush();
                                p2pSent.incrementAndGet();
                                s.setSoTimeout(2_000);
                                s.getInputStream().read(); // the node closes it
                            } catch (Exception closedOrRefused) {
                                // expected
                            }
                        }
                    }, "p2p-flood");
                    idler.start();
                    poller.start();
                    peers.start();
                    List<CompletableFuture<HttpResponse<String>>> webCalls = new ArrayList<>();
                    String[] paths = {"/api/v1/status", "/api/v1/workers", "/local_stats", "/metrics", "/index.html"};
                    for (int i = 0; i < 2_000; i++) {
                        webCalls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + paths[i % paths.length]))
                                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
                    }
                    long a1 = rig.accepted();
                    List<Long> flooded = probe.pace(8_000);
                    double floodRate = (rig.accepted() - a1) / 8.5;
                    idler.join(60_000);
                    poller.join(60_000);
                    peers.join(60_000);
                    Map<Integer, Integer> statuses = new java.util.TreeMap<>();
                    for (CompletableFuture<HttpResponse<String>> f : webCalls) {
                        int status;
                        try {
                            status = f.get(60, TimeUnit.SECONDS).statusCode();
                        } catch (Exception e) {
                            status = -1;
                        }
                        statuses.merge(status, 1, Integer::sum);
                    }
                    long rss = rssKb(node.pid());
                    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();

                    assertTrue(node.isAlive(), "the node survives the floods");
                    assertTrue(rig.accepted() > a1, "the honest rig is accepted during the flood");
                    assertTrue(flooded.size() > 100, "the probe is answered during the flood: " + flooded.size());
                    assertTrue(statuses.getOrDefault(200, 0) > 0, "the web answers during the flood: " + statuses);
                    assertTrue(rss < (HEAP_MB + 384) * 1024L, "RSS " + rss / 1024 + " MB within the heap and the JVM's own");
                    assertTrue(metric(metrics, "p2pool_peer_events_total{reason=\"refused_per_ip\"}") > 0, "P2P refusals are counted");
                    assertTrue(metrics.contains("p2pool_miners "), "the miner gauge is there");

                    System.out.printf("flood: %d idle connections, %d long polls, 2,000 web requests %s, %d P2P garbage/100 MB claims;"
                            + " rig accepted %.1f/s calm vs %.1f/s flooded; probe submit p50/p95/p99 calm %s / %s / %s, flooded %s / %s / %s"
                            + " (%d answers); node RSS %d MB (heap %d MB); p2p refused_per_ip %.0f%n",
                            idle.get(), polls.get(), statuses, p2pSent.get(), calmRate, floodRate, pct(calm, 0.5), pct(calm, 0.95), pct(calm, 0.99),
                            pct(flooded, 0.5), pct(flooded, 0.95), pct(flooded, 0.99), flooded.size(), rss / 1024, HEAP_MB,
                            metric(metrics, "p2pool_peer_events_total{reason=\"refused_per_ip\"}"));
                }
            } finally {
                synchronized (held) {
                    for (Socket s : held) {
                        try {
                            s.close();
                        } catch (Exception ignored) {
                            // closing
                        }
                    }
                }
                node.destroy();
                if (!node.waitFor(15, TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                }
            }
        }
    }
}
