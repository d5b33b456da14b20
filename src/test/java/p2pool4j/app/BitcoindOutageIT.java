package p2pool4j.app;

import static p2pool4j.testutil.Wait.waitFor;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.testminer.TestMiner;
import p2pool4j.testutil.BcoinNode;

/**
 * bitcoind crashing under a mining node: bcoin is killed with SIGKILL while a miner mines, left
 * down for 3 s and started again, ten times. The node never exits, and the miner's submits are
 * accepted again soon after bcoin answers (the delay is printed: a figure, not a timed assertion;
 * the bound below only catches a node that never recovers). Bounded: about two minutes.
 */
class BitcoindOutageIT {
    static final int CYCLES = 10;

    @Test
    void theNodeRidesOutBitcoindCrashes() throws Exception {
        try (BcoinNode bcoin = BcoinNode.start()) {
            bcoin.generate(432);
            Path dir = Files.createTempDirectory("p2pool4j-outage");
            int worker = BcoinNode.freePort();
            String nodeAddress = Address.p2pkh(Hashes.hash160("operator".getBytes(StandardCharsets.UTF_8)), ChainParams.REGTEST).text();
            String[] args = {"--net", "regtest", "-a", nodeAddress, "--bitcoind-rpc-port", String.valueOf(bcoin.rpcPort()),
                "--bitcoind-p2p-port", String.valueOf(bcoin.p2pPort()), "--bitcoind-rpc-user", "x", "--bitcoind-rpc-password",
                BcoinNode.API_KEY, "--datadir", dir.toString(), "-w", String.valueOf(worker), "--p2pool-port",
                String.valueOf(BcoinNode.freePort()), "--web-port", String.valueOf(BcoinNode.freePort()), "--outgoing-conns", "0"};
            ConfigBuilder.Result r = ConfigBuilder.build(Cli.parse(Cli.commandLine(), args).values(), Map.of(), Main::readIfExists, dir);
            assertTrue(r.ok(), String.valueOf(r.errors()));
            NodeRuntime node = new NodeRuntime(r.config());
            node.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            List<Long> resumeMs = new ArrayList<>();
            List<Long> acceptMs = new ArrayList<>();
            try (TestMiner miner = TestMiner.stratum("127.0.0.1", worker, nodeAddress + ".rig", 1, true)) {
                waitFor("first accepted submits", 60, () -> miner.accepted() > 10);
                for (int i = 0; i < CYCLES; i++) {
                    bcoin.kill();
                    Thread.sleep(3_000);
                    assertTrue(!node.stopping(), "the node keeps running while bitcoind is down");
                    bcoin.relaunch(); // returns once bcoin answers RPC
                    long answered = System.nanoTime();
                    bcoin.generate(432); // its in-memory chain starts over: segwit active again, as on a real chain
                    // Work on the new chain first (until then, submits on the old tip still count as accepted), then a submit on it.
                    // (Our miner finds blocks all the time on regtest, so "the new chain" is: a tip the restarted bcoin knows.)
                    waitFor("work on bcoin's new chain " + (i + 1), 60, () -> onChain(bcoin, node.node().snapshot().previousBlock()));
                    long onNewTip = System.nanoTime();
                    long before = miner.accepted();
                    waitFor("accepted submits after restart " + (i + 1), 60, () -> miner.accepted() > before);
                    resumeMs.add(TimeUnit.NANOSECONDS.toMillis(onNewTip - answered));
                    acceptMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - onNewTip));
                }
            } finally {
                node.stopAndWait(10_000);
            }
            System.out.println("bitcoind outage: work on the new tip " + resumeMs + " ms after bcoin answered again (including"
                    + " generating 432 blocks on its fresh in-memory chain), then the next accepted submit after " + acceptMs + " ms");
        }
    }

    private static boolean onChain(BcoinNode bcoin, p2pool4j.bitcoin.Sha256Hash block) {
        try {
            return block != null && !bcoin.rpc("getblockheader", block.toDisplayHex()).isNull();
        } catch (Exception unknownToIt) {
            return false;
        }
    }
}
