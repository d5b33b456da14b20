package p2pool4j.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import p2pool4j.bitcoin.Base58;

/**
 * A real regtest full node for tests: bcoin 1.0.2 installed from npm by scripts/bcoin.sh into a
 * cache folder, started on free loopback ports with an in-memory chain. It validates every block
 * we submit.
 */
public final class BcoinNode implements AutoCloseable {
    public static final String API_KEY = "p2pool4j";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int rpcPort;
    private final int p2pPort;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    private BcoinNode(Path dir, int rpcPort, int p2pPort, String apiKey) {
        this.apiKey = apiKey;
        this.dir = dir;
        this.rpcPort = rpcPort;
        this.p2pPort = p2pPort;
    }

    public static Path repo() {
        String p = System.getProperty("p2pool4j.repo");
        return p != null ? Path.of(p) : Path.of("").toAbsolutePath();
    }

    /**
     * A port for a test's listener. Taken below the kernel's ephemeral range (32768-60999 here):
     * a port the kernel hands out by itself (ServerSocket(0), any outgoing connection's local
     * port) could be taken between this probe and the node's bind, which made integration tests
     * fail with "Address already in use" under load. Ports below that range are only ever bound
     * on purpose; each is handed out once per JVM, and probed on the wildcard address the node binds.
     */
    public static synchronized int freePort() {
        for (int tries = 0; tries < 2_000; tries++) {
            int port = TEST_PORTS_FROM + RANDOM.nextInt(TEST_PORTS_TO - TEST_PORTS_FROM);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress(port), 1);
                return port;
            } catch (IOException inUse) {
                // another process has it: try the next
            }
        }
        throw new IllegalStateException("no free port between " + TEST_PORTS_FROM + " and " + TEST_PORTS_TO);
    }

    private static final int TEST_PORTS_FROM = 20_000;
    private static final int TEST_PORTS_TO = 32_000;
    private static final java.util.Random RANDOM = new java.util.Random();
    private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

    public static BcoinNode start() throws Exception {
        return start(API_KEY);
    }

    /** A node whose RPC password (bcoin's API key) is {@code apiKey}. */
    public static BcoinNode start(String apiKey) throws Exception {
        BcoinNode n = new BcoinNode(Files.createTempDirectory("bcoin"), freePort(), freePort(), apiKey);
        n.launch();
        return n;
    }

    private void launch() throws Exception {
        File log = dir.resolve("bcoin.log").toFile();
        ProcessBuilder pb = new ProcessBuilder("bash", repo().resolve("scripts/bcoin.sh").toString(), "start",
                dir.resolve("data").toString(), String.valueOf(rpcPort), String.valueOf(p2pPort), apiKey)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // first run installs from npm
        Exception last = null;
        while (true) {
            try {
                rpc("getblockchaininfo");
                return;
            } catch (Exception notYet) {
                last = notYet;
                if (!process.isAlive()) {
                    throw new IllegalStateException("bcoin exited: " + Files.readString(log.toPath()));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("bcoin did not answer RPC in time (" + last + "): " + Files.readString(log.toPath()));
                }
                Thread.sleep(200);
            }
        }
    }

    public void stopProcess() throws InterruptedException {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** kill -9, as a crash or the OOM killer would. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts bcoin again on the same ports after {@link #kill} or {@link #stopProcess} (the in-memory chain starts over). */
    public void relaunch() throws Exception {
        launch();
    }

    /** Stops bcoin and starts it again on the same ports (the in-memory chain starts over). */
    public void restart() throws Exception {
        stopProcess();
        launch();
    }

    public int rpcPort() {
        return rpcPort;
    }

    public int p2pPort() {
        return p2pPort;
    }

    /** A JSON-RPC call; throws on an error answer. */
    public JsonNode rpc(String method, Object... params) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "1.0").put("id", 1).put("method", method);
        ArrayNode arr = body.putArray("params");
        for (Object p : params) {
            arr.add(JSON.valueToTree(p));
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rpcPort + "/"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("x:" + apiKey).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        JsonNode reply = JSON.readTree(resp.body());
        if (reply.hasNonNull("error")) {
            throw new IOException(method + ": " + reply.get("error"));
        }
        return reply.get("result");
    }

    /**
     * An address bcoin accepts for generatetoaddress. bcoin 1.0.2's regtest P2PKH version byte is
     * 0x3c, not Core's 111, so this is not an address p2pool4j would accept on regtest.
     */
    public static String bcoinAddress() {
        return Base58.encodeCheck(0x3c, new byte[20]);
    }

    public JsonNode generate(int n) throws IOException, InterruptedException {
        return rpc("generatetoaddress", n, bcoinAddress());
    }

    public long height() throws IOException, InterruptedException {
        return rpc("getblockcount").asLong();
    }

    @Override
    public void close() throws Exception {
        stopProcess();
    }
}
