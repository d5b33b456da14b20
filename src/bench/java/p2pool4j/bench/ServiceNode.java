package p2pool4j.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real service jar as its own process, as systemd starts it (the env file's JVM options and
 * environment), on testnet against a {@link StandInBitcoind}, every port on 127.0.0.1.
 */
record ServiceNode(Process process, int workerPort, int webPort, int p2pPort, Path dir) {
    static final String PAYOUT = "mfWxJ45yp2SFn7UciZyNpvDKrzbhyfKrY8";

    /** Started and listening for miners, or null (its log printed to {@code out}). */
    static ServiceNode start(StandInBitcoind bitcoind, String jar, String jvm, int maxSessions, int maxSessionsPerIp, PrintStream out)
            throws Exception {
        return start(bitcoind, jar, jvm, maxSessions, maxSessionsPerIp, 0, out);
    }

    /**
     * With {@code chain > 0}: on the simulation network (regtest's chain, mainnet's CHAIN_LENGTH,
     * {@link p2pool4j.app.SimulationService}) with a stored chain of that many shares, which it
     * loads and verifies as a restarted node does; {@code bitcoind} must then say "regtest".
     */
    static ServiceNode start(StandInBitcoind bitcoind, String jar, String jvm, int maxSessions, int maxSessionsPerIp, int chain,
            PrintStream out) throws Exception {
        String foreign = benchContent(jar);
        if (foreign != null) {
            out.println(jar + " is not the service jar production runs: it holds " + foreign);
            return null;
        }
        int rpcPort = bitcoind.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Path dir = Files.createTempDirectory("p2pool4j-load");
        int workerPort = LoadHarness.freePort();
        int webPort = LoadHarness.freePort();
        int p2pPort = LoadHarness.freePort();
        List<String> main = List.of("-jar", jar, "--net", "testnet");
        if (chain > 0) {
            double s = p2pool4j.app.SimulationChain.store(dir.resolve("data"), chain);
            out.printf("chain: %d shares built and stored for the node in %.1f s (simulation network)%n", chain, s);
            Path classes = dir.resolve("simulation-classes");
            Path file = classes.resolve("p2pool4j/app/SimulationService.class");
            Files.createDirectories(file.getParent());
            try (var in = p2pool4j.app.SimulationService.class.getResourceAsStream("SimulationService.class")) {
                Files.write(file, in.readAllBytes());
            }
            main = List.of("-cp", jar + java.io.File.pathSeparator + classes, p2pool4j.app.SimulationService.class.getName(), "--net", "regtest");
        }
        List<String> args = new ArrayList<>(main);
        args.addAll(List.of("-a", PAYOUT,
                "--bitcoind-address", "127.0.0.1", "--bitcoind-rpc-port", String.valueOf(rpcPort),
                "--bitcoind-p2p-port", String.valueOf(LoadHarness.freePort()), "--bitcoind-rpc-user", "load", "--bitcoind-rpc-password", "load",
                "--datadir", dir.resolve("data").toString(), "-w", String.valueOf(workerPort), "--worker-bind", "127.0.0.1",
                "--web-port", String.valueOf(webPort), "--web-bind", "127.0.0.1", "--p2pool-port", String.valueOf(p2pPort),
                "--outgoing-conns", "0", "--max-sessions", String.valueOf(maxSessions),
                "--max-sessions-per-ip", String.valueOf(maxSessionsPerIp)));
        Process node = launch(jvm, args, dir.resolve("node.log"), 60, "the node", out);
        if (node == null) {
            return null;
        }
        return new ServiceNode(node, workerPort, webPort, p2pPort, dir);
    }

    /**
     * Not the service: {@link EchoStratum} from this benchmarks jar, with the same JVM options and
     * environment, for {@code load --floor}. Its web and P2Pool ports are -1.
     */
    static ServiceNode echoFloor(String jvm, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("p2pool4j-floor");
        int workerPort = LoadHarness.freePort();
        String self = Path.of(EchoStratum.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process p = launch(jvm, List.of("-cp", self, EchoStratum.class.getName(), String.valueOf(workerPort)), dir.resolve("floor.log"), 30,
                "the stand-in", out);
        if (p == null) {
            return null;
        }
        return new ServiceNode(p, workerPort, -1, -1, dir);
    }

    /**
     * A JVM with the service's options and environment (as systemd's EnvironmentFile would give
     * them), its output in {@code log}; null (the log printed) unless it says it serves miners
     * within {@code seconds}.
     */
    private static Process launch(String jvm, List<String> args, Path log, int seconds, String what, PrintStream out) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(jvm.trim().split("\\s+")));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(LoadHarness.serviceEnvironment());
        Process p = pb.start();
        orphanGuard(p);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.readString(log).contains("miners: Stratum") && p.isAlive() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        if (!p.isAlive() || !Files.readString(log).contains("miners: Stratum")) {
            out.println(what + " did not start; its log:\n" + Files.readString(log));
            p.destroyForcibly();
            return null;
        }
        return p;
    }

    /** A harness stopped by a signal takes its node along instead of leaving it holding ports and CPU. */
    private static void orphanGuard(Process p) {
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "stop-node-on-exit"));
    }

    /** For the floor: a new prevhash, notified to every session. */
    void announce(String prevHex) {
        try {
            process.getOutputStream().write(("block " + prevHex + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
        } catch (java.io.IOException gone) {
            // the stand-in died: the run shows it as blocks that reached nobody
        }
    }

    /** The first bench or JMH entry of a jar, or null when it holds none (as the service jar must not). */
    static String benchContent(String jar) throws java.io.IOException {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar)) {
            return z.stream().map(java.util.zip.ZipEntry::getName)
                    .filter(n -> n.startsWith("p2pool4j/bench/") || n.startsWith("org/openjdk/jmh/") || n.equals("META-INF/BenchmarkList"))
                    .findFirst().orElse(null);
        }
    }

    /** CPU seconds the node has used (user + system), from /proc. */
    double cpuSeconds() throws Exception {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // fields 14 and 15, in clock ticks of 1/100 s
    }

    /** SIGTERM, as systemd stops it; prints how it ended. */
    void stop(PrintStream out) throws Exception {
        process.destroy();
        boolean exited = process.waitFor(30, TimeUnit.SECONDS);
        out.printf("node stop on SIGTERM: %s%n", exited ? "exit " + process.exitValue() : "did not exit in 30 s");
        if (!exited) {
            process.destroyForcibly();
        }
    }
}
