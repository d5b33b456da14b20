package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.testminer.TestMiner;
import p2pool4j.testutil.BcoinExtension;
import p2pool4j.testutil.BcoinNode;

/**
 * Stratum over TLS on a second worker port: a self-signed certificate made at first start in the
 * datadir and kept across a restart (same fingerprint), the built-in miner pinning it mines shares
 * and blocks that bcoin accepts, counted like plain-port ones, and a miner pinning another
 * fingerprint is refused in the handshake.
 */
@ExtendWith(BcoinExtension.class)
class StratumTlsIT {
    private static final String RIG = Address.p2pkh(Hashes.hash160("tls rig".getBytes(StandardCharsets.UTF_8)), ChainParams.REGTEST).text();

    private static NodeRuntime start(BcoinNode bcoin, Path datadir, int tlsPort) throws Exception {
        String[] args = {"--net", "regtest", "-a", RIG, "--bitcoind-rpc-port", String.valueOf(bcoin.rpcPort()),
            "--bitcoind-p2p-port", String.valueOf(bcoin.p2pPort()), "--bitcoind-rpc-user", "x", "--bitcoind-rpc-password", BcoinNode.API_KEY,
            "--datadir", datadir.toString(), "-w", String.valueOf(BcoinNode.freePort()), "--worker-bind", "127.0.0.1",
            "--worker-tls-port", String.valueOf(tlsPort), "--p2pool-port", String.valueOf(BcoinNode.freePort()),
            "--web-port", String.valueOf(BcoinNode.freePort()), "--web-bind", "127.0.0.1", "--outgoing-conns", "0"};
        ConfigBuilder.Result r = ConfigBuilder.build(Cli.parse(Cli.commandLine(), args).values(), Map.of(), Main::readIfExists, datadir);
        assertTrue(r.ok(), String.valueOf(r.errors()));
        NodeRuntime node = new NodeRuntime(r.config());
        node.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return node;
    }

    @Test
    void aPinnedMinerMinesOverTlsAndAWrongPinIsRefused(BcoinNode bcoin) throws Exception {
        if (bcoin.height() < 432) {
            bcoin.generate(432 - (int) bcoin.height());
        }
        Path datadir = Files.createTempDirectory("p2pool4j-tls");
        int tlsPort = BcoinNode.freePort();
        NodeRuntime node = start(bcoin, datadir, tlsPort);
        String fingerprint;
        try {
            fingerprint = node.tlsIdentity().fingerprintSha256();
            assertTrue(fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fingerprint);
            assertTrue(Files.exists(datadir.resolve("tls/worker-cert.pem")) && Files.exists(datadir.resolve("tls/worker-key.pem")));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(datadir.resolve("tls/worker-key.pem"))), "the key is the node's alone");
            long h0 = bcoin.height();
            try (TestMiner m = TestMiner.stratumTls("127.0.0.1", tlsPort, RIG + ".tls", 1, true, fingerprint)) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while ((m.accepted() < 20 || bcoin.height() < h0 + 2) && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                assertTrue(m.accepted() >= 20, "accepted over TLS: " + m.accepted() + ", last error " + m.lastError());
                assertTrue(bcoin.height() >= h0 + 2, "blocks mined over TLS reach bcoin");
                assertEquals(fingerprint, m.serverFingerprint());
            }
            String wrong = fingerprint.startsWith("00") ? "11" + fingerprint.substring(2) : "00" + fingerprint.substring(2);
            assertThrows(javax.net.ssl.SSLHandshakeException.class,
                    () -> TestMiner.stratumTls("127.0.0.1", tlsPort, RIG + ".tls", 1, true, wrong).close(), "a wrong pin is refused");
        } finally {
            node.stopAndWait(10_000);
        }
        NodeRuntime again = start(bcoin, datadir, tlsPort);
        try {
            assertEquals(fingerprint, again.tlsIdentity().fingerprintSha256(), "the certificate is kept across a restart");
        } finally {
            again.stopAndWait(10_000);
        }
    }
}
