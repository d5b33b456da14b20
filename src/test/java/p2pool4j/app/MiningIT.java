package p2pool4j.app;

import static p2pool4j.testutil.Wait.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Transaction;
import p2pool4j.sharechain.GeneratedTx;
import p2pool4j.sharechain.GentxBuilder;
import p2pool4j.sharechain.Share;
import p2pool4j.testminer.TestMiner;
import p2pool4j.testutil.BcoinNode;
import p2pool4j.work.SubmitEvent;

/**
 * Miners against a real node: p2pool4j (in this JVM) on a bcoin regtest node, mined by the
 * built-in test miner over Stratum and getwork. Blocks found are accepted by bcoin and their
 * coinbase is the share's PPLNS generation transaction.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MiningIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static BcoinNode bcoin;
    private static NodeRuntime node;
    private static int workerPort;
    private static final List<SubmitEvent> events = new CopyOnWriteArrayList<>();
    private static final String MINER = Address.p2pkh(Hashes.hash160("rig owner".getBytes(StandardCharsets.UTF_8)), ChainParams.REGTEST).text();

    @BeforeAll
    static void start() throws Exception {
        bcoin = BcoinNode.start();
        bcoin.generate(432); // csv and segwit active, as on a real chain
        Path dir = Files.createTempDirectory("p2pool4j-mining");
        workerPort = BcoinNode.freePort();
        String nodeAddress = Address.p2pkh(Hashes.hash160("operator".getBytes(StandardCharsets.UTF_8)), ChainParams.REGTEST).text();
        String[] args = {"--net", "regtest", "-a", nodeAddress, "--bitcoind-rpc-port", String.valueOf(bcoin.rpcPort()),
            "--bitcoind-p2p-port", String.valueOf(bcoin.p2pPort()), "--bitcoind-rpc-user", "x", "--bitcoind-rpc-password", BcoinNode.API_KEY,
            "--datadir", dir.toString(), "-w", String.valueOf(workerPort), "--p2pool-port", String.valueOf(BcoinNode.freePort()),
            "--web-port", String.valueOf(BcoinNode.freePort()), "--outgoing-conns", "0", "--max-sessions-per-ip", "2000"};
        ConfigBuilder.Result r = ConfigBuilder.build(Cli.parse(Cli.commandLine(), args).values(), Map.of(), Main::readIfExists, dir);
        assertTrue(r.ok(), String.valueOf(r.errors()));
        node = new NodeRuntime(r.config());
        node.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        java.util.Set<String> seenWorkers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        node.submissions().onEvent(e -> {
            // On regtest nearly every hash is a share: keep the interesting events, one plain one per worker.
            if (e.share() || e.block() || !e.result().accepted() || seenWorkers.add(e.workerKey())) {
                events.add(e);
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.stopAndWait(10_000);
        }
        if (bcoin != null) {
            bcoin.close();
        }
    }

    private static <T> T onNode(java.util.function.Function<p2pool4j.work.Node.State, T> query) throws Exception {
        return node.node().read(query).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void stratumMinerFindsSharesAndBlocksThatBcoinAccepts() throws Exception {
        long h0 = bcoin.height();
        try (TestMiner miner = TestMiner.stratum("127.0.0.1", workerPort, MINER + ".rig1", 1, true)) {
            waitFor("accepted pseudo-shares", 60, () -> miner.accepted() >= 20);
            waitFor("blocks accepted by bcoin", 60, () -> bcoin.height() >= h0 + 3);
            assertTrue(miner.cleanJobs() >= 1, "clean_jobs on new blocks");
        }
        honestRejectsOnly(MINER + ".rig1");
        assertTrue(events.stream().anyMatch(e -> e.share() && e.workerKey().equals(MINER + ".rig1")), "a sharechain share");
        assertTrue(events.stream().anyMatch(SubmitEvent::block), "a block");

        // The newest block we found is a share; its coinbase is the share's PPLNS generation transaction.
        String best = bcoin.rpc("getbestblockhash").asText();
        JsonNode block = bcoin.rpc("getblock", best, true, true);
        Sha256Hash hash = Sha256Hash.fromDisplayHex(best);
        waitFor("the block's share in the tracker", 10, () -> onNode(st -> st.tracker().contains(hash)));
        Share share = onNode(st -> st.tracker().share(hash));
        assertTrue(share != null, "block " + best + " is one of our shares");
        JsonNode coinbase = block.get("tx").get(0);
        assertEquals(share.gentxHash().toDisplayHex(), coinbase.get("txid").asText());
        GeneratedTx rebuilt = onNode(st -> GentxBuilder.build(share.net(), share.shareVersion(), share.shareInfo(), share.blockTarget(),
                st.tracker(), share.contents().refMerkleBranch(), share.contents().lastTxoutNonce(), share.payoutKey()));
        List<Long> want = new ArrayList<>();
        rebuilt.tx().outputs().forEach(o -> want.add(o.value()));
        List<Long> got = new ArrayList<>();
        coinbase.get("vout").forEach(v -> got.add(Math.round(v.get("value").asDouble() * 1e8)));
        assertEquals(want, got, "coinbase outputs = PPLNS payouts from our chain");
        long toMiner = 0;
        for (var o : rebuilt.tx().outputs()) {
            if (Hex.encode(o.script()).equals(Hex.encode(Address.parse(MINER, ChainParams.REGTEST).script()))) {
                toMiner += o.value();
            }
        }
        assertTrue(toMiner > 0, "the rig owner is paid");
    }

    /**
     * Two rigs on the same node see the same jobs, so neither may go stale far more than the other
     * (the demo once froze one at a fixed accepted count while its stale count climbed by the
     * hundred thousand). On regtest new blocks come every few hashes: both see stale work, alike.
     */
    @Test
    @Order(2)
    void twoConcurrentRigsGoStaleAlike() throws Exception {
        try (TestMiner a = TestMiner.stratum("127.0.0.1", workerPort, MINER + ".pairA", 1, true);
                TestMiner b = TestMiner.stratum("127.0.0.1", workerPort, MINER + ".pairB", 1, true)) {
            waitFor("both rigs accepted", 60, () -> a.accepted() >= 30 && b.accepted() >= 30);
            long a0 = a.accepted(), ar0 = a.rejected(), b0 = b.accepted(), br0 = b.rejected();
            Thread.sleep(10_000);
            double staleA = fraction(a.rejected() - ar0, a.accepted() - a0);
            double staleB = fraction(b.rejected() - br0, b.accepted() - b0);
            Map<String, Long> why = new java.util.TreeMap<>();
            for (SubmitEvent e : events) {
                if (e.workerKey().startsWith(MINER + ".pair") && !e.result().accepted()) {
                    why.merge(e.workerKey().substring(e.workerKey().length() - 1) + ":" + e.result(), 1L, Long::sum);
                }
            }
            System.out.printf("two rigs: not accepted over 10 s %.1f %% and %.1f %% (accepted %d and %d); why %s%n", 100 * staleA, 100 * staleB,
                    a.accepted() - a0, b.accepted() - b0, why);
            assertTrue(a.accepted() - a0 > 0 && b.accepted() - b0 > 0, "both keep being accepted: A " + (a.accepted() - a0) + " accepted, "
                    + (a.rejected() - ar0) + " not (" + a.lastError() + "); B " + (b.accepted() - b0) + " accepted, " + (b.rejected() - br0)
                    + " not (" + b.lastError() + ")");
            assertTrue(Math.abs(staleA - staleB) < 0.25 + 0.5 * Math.max(staleA, staleB),
                    "neither rig goes stale far more than the other: " + staleA + " vs " + staleB);
        }
        honestRejectsOnly(MINER + ".pairA");
        honestRejectsOnly(MINER + ".pairB");
    }

    private static double fraction(long notAccepted, long accepted) {
        return notAccepted + accepted == 0 ? 0 : (double) notAccepted / (notAccepted + accepted);
    }

    @Test
    @Order(2)
    void getworkMinerWithLongPolling() throws Exception {
        try (TestMiner miner = TestMiner.getwork("http://127.0.0.1:" + workerPort + "/", MINER + "_gw", 1)) {
            waitFor("getwork accepted shares", 60, () -> miner.accepted() >= 5);
            long lp = miner.cleanJobs();
            bcoin.generate(1);
            waitFor("the long poll released by a new tip", 20, () -> miner.cleanJobs() > lp);
        }
        honestRejectsOnly(MINER + ".gw");
        assertTrue(events.stream().anyMatch(e -> e.workerKey().equals(MINER + ".gw") && e.result().accepted()));
    }

    /**
     * On regtest half of all hashes are blocks, so new blocks come constantly and work submitted
     * just before one is legitimately stale; nothing else may be rejected for an honest miner.
     */
    private static void honestRejectsOnly(String worker) {
        for (SubmitEvent e : events) {
            if (e.workerKey().equals(worker) && !e.result().accepted()) {
                assertTrue(e.result() == p2pool4j.work.SubmitResult.STALE || e.result() == p2pool4j.work.SubmitResult.UNKNOWN_JOB,
                        "unexpected rejection " + e.result());
            }
        }
    }

    private static final class Raw implements AutoCloseable {
        final Socket s;
        final OutputStream out;
        final BufferedReader in;

        Raw() throws Exception {
            s = new Socket("127.0.0.1", workerPort);
            s.setSoTimeout(20_000);
            out = s.getOutputStream();
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        }

        void send(String line) throws Exception {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        JsonNode until(String methodOrId) throws Exception {
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    return null;
                }
                JsonNode n = JSON.readTree(line);
                if (methodOrId.equals(n.path("method").asText()) || methodOrId.equals(n.path("id").asText())) {
                    return n;
                }
            }
        }

        @Override
        public void close() throws Exception {
            s.close();
        }
    }

    @Test
    @Order(3)
    void staleAndMalformedSubmissions() throws Exception {
        try (Raw c = new Raw()) {
            c.send("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"raw\"]}");
            c.send("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"" + MINER + "\",\"x\"]}");
            JsonNode notify = c.until("mining.notify");
            String job = notify.get("params").get(0).asText();
            String ntime = notify.get("params").get(7).asText();
            c.send("{\"id\":3,\"method\":\"mining.submit\",\"params\":[\"" + MINER + "\",\"" + job + "\",\"zz\",\"" + ntime + "\",\"00000000\"]}");
            assertEquals(20, c.until("3").get("error").get(0).asInt());
            c.send("{\"id\":4,\"method\":\"mining.submit\",\"params\":[\"" + MINER + "\",\"nosuchjob\",\"00000000\",\"" + ntime + "\",\"00000000\"]}");
            assertEquals(21, c.until("4").get("error").get(0).asInt());
            c.send("{\"id\":5,\"method\":\"mining.nonsense\",\"params\":[]}");
            assertEquals(20, c.until("5").get("error").get(0).asInt());
            bcoin.generate(1);
            JsonNode clean = c.until("mining.notify");
            while (!clean.get("params").get(8).asBoolean()) {
                clean = c.until("mining.notify");
            }
            c.send("{\"id\":6,\"method\":\"mining.submit\",\"params\":[\"" + MINER + "\",\"" + job + "\",\"00000001\",\"" + ntime + "\",\"00000001\"]}");
            JsonNode stale = c.until("6");
            assertEquals(21, stale.get("error").get(0).asInt());
            assertEquals("Stale", stale.get("error").get(1).asText());
            c.send("this is not json");
            assertEquals(null, c.until("never"), "invalid JSON closes the session");
        }
        // Each refusal is counted where the operator looks.
        String metrics = node.scrapeMetrics();
        assertTrue(metrics.contains("p2pool_worker_port_events_total{reason=\"closed:invalid JSON\"} 1.0"), metrics);
        assertTrue(metrics.contains("p2pool_miner_submits_total{result=\"malformed\"}"), metrics);
    }

    @Test
    @Order(4)
    void aThousandConcurrentStratumSessions() throws Exception {
        List<Raw> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                Raw r = new Raw();
                r.send("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}");
                r.send("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"" + MINER + ".s" + i + "\",\"x\"]}");
                sessions.add(r);
            }
            for (Raw r : sessions) {
                assertTrue(r.until("mining.notify") != null);
            }
            bcoin.generate(1);
            for (Raw r : sessions) {
                JsonNode n = r.until("mining.notify");
                while (n != null && !n.get("params").get(8).asBoolean()) {
                    n = r.until("mining.notify");
                }
                assertTrue(n != null, "every session gets the clean job");
            }
        } finally {
            for (Raw r : sessions) {
                r.close();
            }
        }
    }
}
