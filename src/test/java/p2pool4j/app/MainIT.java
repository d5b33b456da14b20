package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import p2pool4j.testutil.BcoinExtension;
import p2pool4j.testutil.BcoinNode;

/** The packaged jar as an operator runs it, against a real bcoin regtest node. */
@ExtendWith(BcoinExtension.class)
class MainIT {
    private static Process launch(Path log, BcoinNode bcoin, Path datadir, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", BcoinNode.repo().resolve("target/p2pool4j.jar").toString(),
                "--net", "regtest", "--bitcoind-rpc-port", String.valueOf(bcoin.rpcPort()),
                "--bitcoind-p2p-port", String.valueOf(bcoin.p2pPort()), "--datadir", datadir.toString(),
                "--p2pool-port", String.valueOf(BcoinNode.freePort()), "-w", String.valueOf(BcoinNode.freePort()),
                "--web-port", String.valueOf(BcoinNode.freePort()),
                "--bitcoind-rpc-user", "x", "--bitcoind-rpc-password", BcoinNode.API_KEY));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String waitForLog(Path log, String needle, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String text = Files.readString(log);
            if (text.contains(needle)) {
                return text;
            }
            if (!p.isAlive() && !Files.readString(log).contains(needle)) {
                throw new AssertionError("exited " + p.exitValue() + " before '" + needle + "':\n" + text);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + needle + "' in:\n" + Files.readString(log));
    }

    @Test
    void nodeFollowsBitcoindAndStopsOnSigterm(BcoinNode bcoin) throws Exception {
        Path dir = Files.createTempDirectory("p2pool4j-main");
        Path log = dir.resolve("out.log");
        Process p = launch(log, bcoin, dir.resolve("data"), "-a", "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080");
        try {
            waitForLog(log, "bitcoind P2P link up", p);
            waitForLog(log, "P2Pool peers: listening on 0.0.0.0:", p);
            waitForLog(log, "sharechain: 0 shares loaded from disk", p);
            long h = bcoin.height();
            waitForLog(log, "work: block " + (h + 1), p);
            bcoin.generate(1);
            waitForLog(log, "work: block " + (h + 2), p);
            long t0 = System.nanoTime();
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "stopped within 10 s");
            System.out.println("stopped in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms, exit " + p.exitValue());
            assertEquals(0, p.exitValue(), "a graceful SIGTERM exits 0");
            assertTrue(Files.readString(log).contains("stopping"));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aWorkerPortInUseIsOneClearFatalMessage(BcoinNode bcoin) throws Exception {
        Path dir = Files.createTempDirectory("p2pool4j-main");
        Path log = dir.resolve("out.log");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("0.0.0.0"))) {
            Process p = launch(log, bcoin, dir.resolve("data"), "-a", "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", "-w",
                    String.valueOf(taken.getLocalPort()));
            try {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits by itself");
                assertEquals(1, p.exitValue());
                String text = Files.readString(log);
                assertTrue(text.contains("p2pool4j: cannot listen for miners on 0.0.0.0:" + taken.getLocalPort()), text);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void withoutAddressAndWithoutWalletItAsksForDashA(BcoinNode bcoin) throws Exception {
        // bcoin runs without its wallet: getnewaddress does not exist there.
        Path dir = Files.createTempDirectory("p2pool4j-main");
        Path log = dir.resolve("out.log");
        Process p = launch(log, bcoin, dir.resolve("data"));
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits by itself");
            assertEquals(2, p.exitValue());
            String text = Files.readString(log);
            assertTrue(text.contains("no -a/--address given and bitcoind has no wallet"), text);
            assertTrue(text.contains("start p2pool4j with -a YOUR_ADDRESS"), text);
        } finally {
            p.destroyForcibly();
        }
    }

    private static int checkConfig(java.io.ByteArrayOutputStream out, java.io.ByteArrayOutputStream err, String... args) {
        return Main.run(args, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), java.util.Map.of(), Path.of("/nonexistent-home"));
    }

    /** check-config --probe says, line by line, whether bitcoind can be reached as configured; a password is never echoed. */
    @Test
    void checkConfigProbeLogsInChecksTheChainAndThePeerPort(BcoinNode bcoin) throws Exception {
        String[] common = {"--bitcoind-rpc-port", String.valueOf(bcoin.rpcPort()), "--bitcoind-p2p-port", String.valueOf(bcoin.p2pPort()),
            "--bitcoind-rpc-user", "x", "-a", "mfWxJ45yp2SFn7UciZyNpvDKrzbhyfKrY8"};
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        java.util.List<String> good = new java.util.ArrayList<>(java.util.List.of("check-config", "--probe", "--net", "regtest",
                "--bitcoind-rpc-password", BcoinNode.API_KEY));
        good.addAll(java.util.List.of(common));
        assertEquals(0, checkConfig(out, err, good.toArray(String[]::new)), out + "\n" + err);
        assertTrue(out.toString().contains("probe: bitcoind RPC 127.0.0.1:" + bcoin.rpcPort() + ": ok"), out.toString());
        assertTrue(out.toString().contains("chain regtest"), out.toString());
        assertTrue(out.toString().contains("probe: bitcoind P2P 127.0.0.1:" + bcoin.p2pPort() + ": ok"), out.toString());

        out.reset();
        err.reset();
        java.util.List<String> wrong = new java.util.ArrayList<>(java.util.List.of("check-config", "--probe", "--net", "regtest",
                "--bitcoind-rpc-password", "not-the-key-s3cret"));
        wrong.addAll(java.util.List.of(common));
        assertEquals(Main.EXIT_PROBE, checkConfig(out, err, wrong.toArray(String[]::new)), out + "\n" + err);
        assertTrue(out.toString().contains("probe: bitcoind RPC 127.0.0.1:" + bcoin.rpcPort() + ": FAILED"), out.toString());
        assertFalse((out.toString() + err).contains("not-the-key-s3cret"), "the password is never echoed");

        out.reset();
        err.reset();
        java.util.List<String> chain = new java.util.ArrayList<>(java.util.List.of("check-config", "--probe", "--net", "testnet",
                "--bitcoind-rpc-password", BcoinNode.API_KEY));
        chain.addAll(java.util.List.of(common));
        assertEquals(Main.EXIT_PROBE, checkConfig(out, err, chain.toArray(String[]::new)), out + "\n" + err);
        assertTrue(out.toString().contains("bitcoind's chain is 'regtest' but --net testnet needs 'test': FAILED"), out.toString());
    }
}
