package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.testutil.BcoinNode;
import p2pool4j.testminer.TestMiner;

/**
 * Neither the RPC password nor a cookie's contents ever leave the node: started with recognisable
 * ones against a real bcoin, every page, API and reference endpoint, /metrics, check-config and
 * the whole log are searched for them (and for their Basic-auth encodings).
 */
class SecretsIT {
    static final String PASSWORD = "Pw-9f3a7c-unmistakable";
    static final String COOKIE_SECRET = "c00k1e-5e3a7c-unmistakable";

    @Test
    void noSecretLeavesTheNode() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        List<String> seen = new ArrayList<>();
        try (BcoinNode bcoin = BcoinNode.start(PASSWORD)) {
            bcoin.generate(432);
            Path dir = Files.createTempDirectory("p2pool4j-secrets");
            Path cookie = dir.resolve(".cookie");
            Files.writeString(cookie, "__cookie__:" + COOKIE_SECRET);
            int worker = BcoinNode.freePort();
            int web = BcoinNode.freePort();
            String nodeAddress = Address.p2pkh(Hashes.hash160("operator".getBytes(StandardCharsets.UTF_8)), ChainParams.REGTEST).text();
            String[] args = {"--net", "regtest", "-a", nodeAddress, "--bitcoind-rpc-port", String.valueOf(bcoin.rpcPort()),
                "--bitcoind-p2p-port", String.valueOf(bcoin.p2pPort()), "--bitcoind-rpc-user", "x", "--bitcoind-rpc-password", PASSWORD,
                "--datadir", dir.resolve("data").toString(), "-w", String.valueOf(worker), "--p2pool-port",
                String.valueOf(BcoinNode.freePort()), "--web-port", String.valueOf(web), "--web-bind", "127.0.0.1", "--outgoing-conns", "0"};
            ConfigBuilder.Result r = ConfigBuilder.build(Cli.parse(Cli.commandLine(), args).values(), Map.of(), Main::readIfExists, dir);
            assertTrue(r.ok(), String.valueOf(r.errors()));
            NodeRuntime node = new NodeRuntime(r.config());
            node.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            try (TestMiner miner = TestMiner.stratum("127.0.0.1", worker, nodeAddress + ".rig", 1, true)) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (miner.accepted() < 5 && System.nanoTime() < end) {
                    Thread.sleep(100);
                }
                HttpClient http = HttpClient.newHttpClient();
                String[] paths = {"/", "/index.html", "/workers.html", "/worker.html", "/blocks.html", "/peers.html", "/common.js",
                    "/api/v1/status", "/api/v1/workers", "/api/v1/workers/" + nodeAddress + ".rig", "/api/v1/history", "/api/v1/blocks",
                    "/api/v1/blocks/summary", "/api/v1/peers", "/api/v1/bans", "/api/v1/chain", "/metrics", "/rate", "/difficulty",
                    "/users", "/user_stales", "/fee", "/current_payouts", "/global_stats", "/local_stats", "/peer_addresses",
                    "/peer_versions", "/payout_addr", "/payout_addrs", "/recent_blocks", "/uptime", "/stale_rates", "/web/version",
                    "/web/currency_info", "/web/best_share_hash", "/web/heads", "/web/verified_heads", "/web/tails", "/web/verified_tails",
                    "/web/my_share_hashes50", "/web/log", "/web/graph_data/pool_rates/last_hour"};
                for (String p : paths) {
                    for (int port : new int[] {web, worker}) { // the reference's endpoints are answered on the worker port too
                        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + p)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        seen.add(p + " " + resp.statusCode() + " " + resp.headers().map() + " " + resp.body());
                    }
                }
            } finally {
                node.stopAndWait(10_000);
            }
            for (String[] cc : new String[][] {args, {"--net", "regtest", "--bitcoind-cookie", cookie.toString()}}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                String[] withCommand = new String[cc.length + 1];
                withCommand[0] = "check-config";
                System.arraycopy(cc, 0, withCommand, 1, cc.length);
                assertEquals(0, Main.run(withCommand, new PrintStream(out), new PrintStream(err), Map.of(), dir));
                seen.add(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
            }
        } finally {
            root.detachAppender(log);
        }
        for (ILoggingEvent e : log.list) {
            seen.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()));
        }
        String b64 = java.util.Base64.getEncoder().encodeToString(("x:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        for (String s : seen) {
            for (String secret : new String[] {PASSWORD, COOKIE_SECRET, b64}) {
                assertFalse(s.contains(secret), "a secret in: " + s.substring(0, Math.min(300, s.length())));
            }
        }
        assertTrue(seen.size() > 80, "everything was read: " + seen.size());
        assertTrue(seen.stream().anyMatch(s -> s.contains("bitcoind-rpc-password  = ****")), "check-config's report was read");
        assertTrue(seen.stream().anyMatch(s -> s.contains(".rig")), "the API showed the miner");
    }
}
