package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import p2pool4j.testutil.BcoinNode;

/** The appliance as an operator gets it: the installer into a staging root, the unit, and the one-command demo. */
class ApplianceIT {
    private static final Path REPO = BcoinNode.repo();

    private static int run(Path log, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "finished: " + String.join(" ", cmd));
        return p.exitValue();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void installerLaysOutTheServiceAndKeepsTheOperatorsConfig() throws Exception {
        Path root = Files.createTempDirectory("p2pool4j-root");
        Path log = Files.createTempFile("install", ".log");
        assertEquals(0, run(log, "bash", "scripts/install.sh", "--root", root.toString(), "--jar", "target/p2pool4j.jar", "--no-enable"),
                Files.readString(log));
        assertEquals("rw-r--r--", mode(root.resolve("opt/p2pool4j/p2pool4j.jar")));
        assertEquals("rw-r--r--", mode(root.resolve("etc/systemd/system/p2pool4j.service")));
        assertEquals("rwxr-x---", mode(root.resolve("etc/p2pool4j")));
        assertEquals("rw-r-----", mode(root.resolve("etc/p2pool4j/p2pool4j.conf")), "may hold an RPC password");
        assertEquals("rw-r-----", mode(root.resolve("etc/p2pool4j/p2pool4j.env")));
        assertTrue(Files.readString(log).contains("usermod -aG bitcoin p2pool4j"), "explains cookie access");
        if (new File("/usr/bin/systemd-analyze").canExecute()) {
            assertEquals(0, run(log, "systemd-analyze", "verify", root.resolve("etc/systemd/system/p2pool4j.service").toString()),
                    Files.readString(log));
        }
        // A second install never overwrites the operator's config.
        Files.writeString(root.resolve("etc/p2pool4j/p2pool4j.conf"), "net = regtest\n");
        assertEquals(0, run(log, "bash", "scripts/install.sh", "--root", root.toString(), "--jar", "target/p2pool4j.jar", "--no-enable"));
        assertEquals("net = regtest\n", Files.readString(root.resolve("etc/p2pool4j/p2pool4j.conf")));
        assertTrue(Files.exists(root.resolve("etc/p2pool4j/p2pool4j.conf.dist")));
        // The shipped config is valid as it is.
        assertEquals(0, Main.run(new String[] {"check-config", "--config", root.resolve("etc/p2pool4j/p2pool4j.conf.dist").toString()},
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), System.err, java.util.Map.of(), root));
        // Uninstall keeps config and data unless asked.
        assertEquals(0, run(log, "bash", "scripts/install.sh", "--root", root.toString(), "--uninstall"));
        assertFalse(Files.exists(root.resolve("opt/p2pool4j/p2pool4j.jar")));
        assertFalse(Files.exists(root.resolve("etc/systemd/system/p2pool4j.service")));
        assertTrue(Files.exists(root.resolve("etc/p2pool4j/p2pool4j.conf")));
        assertEquals(0, run(log, "bash", "scripts/install.sh", "--root", root.toString(), "--uninstall", "--purge"));
        assertFalse(Files.exists(root.resolve("etc/p2pool4j")));
    }

    @Test
    void demoMinesAndTheApiShowsTheWorkersAcceptedShares() throws Exception {
        int web = BcoinNode.freePort();
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/demo", "--duration", "60").directory(REPO.toFile()).redirectErrorStream(true);
        Path log = Files.createTempFile("demo", ".log");
        pb.redirectOutput(log.toFile());
        pb.environment().putAll(java.util.Map.of("DEMO_BCOIN_RPC_PORT", String.valueOf(BcoinNode.freePort()), "DEMO_BCOIN_P2P_PORT",
                String.valueOf(BcoinNode.freePort()), "DEMO_WORKER_PORT", String.valueOf(BcoinNode.freePort()), "DEMO_P2POOL_PORT",
                String.valueOf(BcoinNode.freePort()), "DEMO_WEB_PORT", String.valueOf(web)));
        Process demo = pb.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        long accepted = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try {
            while (System.nanoTime() < deadline && demo.isAlive() && accepted == 0) {
                Thread.sleep(2_000);
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + "/api/v1/workers"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    JsonNode workers = new ObjectMapper().readTree(r.body());
                    for (JsonNode w : workers) {
                        if (w.get("worker").asText().endsWith(".demo")) {
                            accepted = w.get("accepted").asLong();
                        }
                    }
                } catch (java.io.IOException notYet) {
                    // still starting
                }
            }
            assertTrue(accepted > 0, "the demo worker has accepted shares; demo output:\n" + Files.readString(log));
            assertTrue(Files.readString(log).contains("web UI  http://127.0.0.1:" + web + "/"));
        } finally {
            demo.destroy(); // the demo's trap stops bcoin, the node and the miner
            assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "the demo stops on a signal");
        }
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains("--web-port " + web)).toList();
        assertTrue(left.isEmpty(), "no node left running");
    }
}
