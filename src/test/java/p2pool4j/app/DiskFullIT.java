package p2pool4j.app;

import static p2pool4j.testutil.Wait.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.testminer.TestMiner;
import p2pool4j.testutil.BcoinNode;

/**
 * The datadir's disk fills up under a mining rig, then frees up again. The real jar runs in a
 * mount namespace of its own (unshare) whose datadir is a 16 MiB tmpfs; the test fills that
 * tmpfs through {@code /proc/PID/root} until writes fail with ENOSPC, so SQLite meets a real full
 * disk (SQLITE_FULL), not an injected one. The node keeps serving the rig, says so once in the log,
 * in /metrics and on the dashboard, and when the space returns writes everything it held back:
 * the stored accepted count equals what the miner saw. Bounded: about a minute.
 */
class DiskFullIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RIG = Address.p2pkh(Hashes.hash160("full disk rig".getBytes(StandardCharsets.UTF_8)),
            ChainParams.REGTEST).text() + ".rig";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static boolean canUnshare() {
        try {
            Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt")
                    .redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static JsonNode worker(int web) throws Exception {
        for (JsonNode w : JSON.readTree(get(web, "/api/v1/workers"))) {
            if (w.path("worker").asText().equals(RIG)) {
                return w;
            }
        }
        return JSON.createObjectNode();
    }

    private static long lines(Path log, String text) throws IOException {
        return Files.readString(log).lines().filter(l -> l.contains(text)).count();
    }

    @Test
    void aFullDiskCostsTheRigNothingAndNoStatsAreLost() throws Exception {
        Assumptions.assumeTrue(canUnshare(), "needs unshare -rm (user and mount namespaces) to give the node a tmpfs of its own");
        try (BcoinNode bcoin = BcoinNode.start()) {
            bcoin.generate(432);
            Path dir = Files.createTempDirectory("p2pool4j-diskfull");
            Path datadir = Files.createDirectories(dir.resolve("data"));
            Path log = dir.resolve("node.log");
            int worker = BcoinNode.freePort();
            int web = BcoinNode.freePort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String node = String.join(" ", List.of("exec", java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-jar",
                    BcoinNode.repo().resolve("target/p2pool4j.jar").toString(), "--net", "regtest",
                    "-a", Address.p2pkh(Hashes.hash160("operator".getBytes(StandardCharsets.UTF_8)), ChainParams.REGTEST).text(),
                    "--bitcoind-rpc-port", String.valueOf(bcoin.rpcPort()), "--bitcoind-p2p-port", String.valueOf(bcoin.p2pPort()),
                    "--bitcoind-rpc-user", "x", "--bitcoind-rpc-password", BcoinNode.API_KEY, "--datadir", datadir.toString(),
                    "--p2pool-port", String.valueOf(BcoinNode.freePort()), "-w", String.valueOf(worker), "--worker-bind", "127.0.0.1",
                    "--web-port", String.valueOf(web), "--web-bind", "127.0.0.1", "--outgoing-conns", "0"));
            Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=16m tmpfs " + datadir + " && " + node)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                // The shell execs java: this pid is the node's, and its root shows the namespace's tmpfs.
                Path full = Path.of("/proc", String.valueOf(p.pid()), "root").resolve(datadir.toString().substring(1));
                waitFor("the node to start", 60, () -> lines(log, "web UI and API") > 0 || !p.isAlive());
                assertTrue(p.isAlive(), Files.readString(log));
                try (TestMiner miner = TestMiner.stratum("127.0.0.1", worker, RIG, 1, true)) {
                    waitFor("stats stored", 60, () -> worker(web).path("last_24h").path("accepted").asLong() > 0);
                    // Rates on regtest follow the pseudo-share difficulty, which vardiff and the share policy move between the two
                    // windows (a rig can submit 8,000/s in one and 500/s in the next): the share of its submits accepted is
                    // what a full disk must not change.
                    long a0 = miner.accepted();
                    long s0 = miner.submitted();
                    Thread.sleep(5_000);
                    double before = (miner.accepted() - a0) / 5.0;
                    double acceptedBefore = (double) (miner.accepted() - a0) / Math.max(1, miner.submitted() - s0);

                    Path filler = full.resolve("filler");
                    long filled = 0;
                    try (OutputStream out = Files.newOutputStream(filler)) {
                        byte[] chunk = new byte[64 * 1024];
                        while (filled < 64L << 20) {
                            out.write(chunk);
                            filled += chunk.length;
                        }
                    } catch (IOException enospc) {
                        // the tmpfs is full
                    }
                    assertTrue(filled < 16L << 20, "the datadir is the 16 MiB tmpfs, not the host's disk");
                    waitFor("writes to fail", 30, () -> get(web, "/metrics").contains("p2pool_database_writable 0.0"));
                    long a1 = miner.accepted();
                    long s1 = miner.submitted();
                    Thread.sleep(5_000);
                    double during = (miner.accepted() - a1) / 5.0;
                    double acceptedDuring = (double) (miner.accepted() - a1) / Math.max(1, miner.submitted() - s1);
                    JsonNode status = JSON.readTree(get(web, "/api/v1/status"));
                    assertTrue(status.path("warnings").toString().contains("database writes failing"), status.toString());
                    assertTrue(get(web, "/metrics").lines().anyMatch(l -> l.startsWith("p2pool_database_write_errors_total")
                            && !l.endsWith(" 0.0")), "failed writes are counted");
                    assertTrue(during > 0 && acceptedDuring > 0.5 * acceptedBefore, "the rig mines on while the disk is full: "
                            + during + "/s accepted, " + acceptedDuring + " of its submits, vs " + before + "/s, " + acceptedBefore + " before");

                    Files.delete(filler);
                    waitFor("writes to work again", 30, () -> get(web, "/metrics").contains("p2pool_database_writable 1.0"));
                    assertTrue(miner.drain(10_000));
                    miner.close();
                    long mined = worker(web).path("accepted").asLong();
                    waitFor("every accepted submit stored", 20, () -> worker(web).path("last_24h").path("accepted").asLong() >= mined);
                    assertEquals(mined, worker(web).path("last_24h").path("accepted").asLong(), "stored = accepted: nothing lost");
                    assertEquals(1, lines(log, "writes are failing"), "the problem is logged once");
                    assertEquals(1, lines(log, "writes work again"), "and its end once");
                    assertEquals(0, lines(log, "stats flush failed"), "no log flood while it lasts");
                    System.out.println("disk full: accepted submits/s " + String.format("%.1f", before) + " before, "
                            + String.format("%.1f", during) + " while full; accepted share of submits " + String.format("%.2f", acceptedBefore)
                            + " before, " + String.format("%.2f", acceptedDuring) + " while full; " + mined + " accepted, all stored after recovery");
                }
                p.destroy();
                assertTrue(p.waitFor(15, TimeUnit.SECONDS), "SIGTERM after a full disk still stops the node");
                assertEquals(0, p.exitValue(), Files.readString(log));
            } finally {
                p.destroyForcibly();
            }
        }
    }
}
