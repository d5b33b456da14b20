package p2pool4j.app;

import java.nio.file.Path;
import p2pool4j.sharechain.P2poolNetwork;

/**
 * The service on the simulation network, for {@code load --chain N} only: a mainnet-length stored
 * chain cannot be built on a CPU at a real network's targets, so the harness builds one at
 * regtest's (mainnet's CHAIN_LENGTH, {@link P2poolNetwork#simulation}) and starts the node on it.
 * Run as {@code java -cp p2pool4j.jar:DIR p2pool4j.app.SimulationService --net regtest ...},
 * where DIR holds only this class file (the harness copies it there, so the node's JVM does not
 * open the benchmarks jar either): every other class it loads is the service jar's, with the
 * same runtime, verticles and JVM options; only the network differs. It must stay one class file
 * that uses nothing outside the service jar ({@link SimulationChain} builds the chain).
 */
public final class SimulationService {
    private SimulationService() {}

    public static void main(String[] args) {
        Cli.Invocation inv = Cli.parse(Cli.commandLine(), args);
        ConfigBuilder.Result result = ConfigBuilder.build(inv.values(), System.getenv(), Main::readIfExists, Path.of("."));
        if (!result.ok()) {
            result.errors().forEach(e -> System.err.println("simulation: " + e));
            System.exit(Main.EXIT_CONFIG);
        }
        Config c = result.config();
        if (c.net() != P2poolNetwork.REGTEST) {
            System.err.println("simulation: give --net regtest (the simulation network is regtest's chain)");
            System.exit(Main.EXIT_CONFIG);
        }
        Config sim = new Config(P2poolNetwork.simulation(P2poolNetwork.MAIN.chainLength()), c.address(), c.p2poolPort(), c.p2poolNodes(),
                c.outgoingConns(), c.maxConns(), c.lowBandwidth(), c.workerPort(), c.maxSessionsPerIp(), c.maxSessions(), c.workerBind(),
                c.workerThreads(), c.webPort(), c.webBind(), c.bitcoindAddress(), c.bitcoindRpcPort(), c.bitcoindP2pPort(), c.rpcUser(),
                c.rpcPassword(), c.bitcoindCookie(), c.datadir(), c.feePercent(), c.giveAuthorPercent(), c.statsRetentionDays(),
                c.metricsPerWorker(), c.workerTls(), c.alertUrls(), c.alertOfflineMinutes());
        NodeRuntime node = new NodeRuntime(sim);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.stopAndWait(8_000);
            Runtime.getRuntime().halt(0);
        }, "p2pool4j-shutdown"));
        node.start().onFailure(e -> {
            System.err.println("simulation: " + e.getMessage());
            Runtime.getRuntime().halt(1);
        });
    }
}
