package p2pool4j.app;

import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoind.Template;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.stratum.StratumServer;
import p2pool4j.testminer.LoadTest;
import p2pool4j.work.Node;
import p2pool4j.work.Submissions;

/**
 * {@code p2pool4j bench stratum [--sessions N] [--rate R] [--seconds S]}: the Stratum server of
 * a node holding a mainnet-difficulty template (no bitcoind: with mainnet targets a random submit
 * is a plain pseudo-share, as nearly all real ones are), loaded by {@link LoadTest} over loopback
 * in the same JVM. Every 5 s the template's previous block changes, so each run also measures how
 * fast a clean job reaches every session.
 */
final class StratumBench {
    private StratumBench() {}

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        int sessions = 1000;
        int rate = 5000;
        int seconds = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> {
                    err.println("usage: p2pool4j bench stratum [--sessions N] [--rate R] [--seconds S]");
                    return Main.EXIT_CONFIG;
                }
            }
        }
        Vertx vertx = Vertx.vertx();
        Node node = new Node(vertx, P2poolNetwork.MAIN, null);
        P2pBench.await(node.start());
        node.setTemplate(template(1));
        node.configureWork(Address.p2pkh(Hashes.hash160(new byte[] {7}), ChainParams.MAIN), 0, 0, () -> null);
        StratumServer server = new StratumServer(vertx, new Submissions(node, null),
                new StratumServer.Settings("127.0.0.1", 0, 1_000_000, 1024, 1, 1e12, 10, null));
        int port = P2pBench.await(server.start());
        long[] height = {1};
        long timer = vertx.setPeriodic(5_000, id -> node.setTemplate(template(++height[0])));
        try {
            LoadTest.main(new String[] {"--stratum", "127.0.0.1:" + port, "--sessions", String.valueOf(sessions), "--rate",
                String.valueOf(rate), "--seconds", String.valueOf(seconds), "--pid", String.valueOf(ProcessHandle.current().pid())}, out, err);
            out.println("(RSS is of this one JVM: node and load generator together)");
        } finally {
            vertx.cancelTimer(timer);
            P2pBench.await(server.stop());
            node.stop();
            P2pBench.await(vertx.close());
        }
        return 0;
    }

    private static Template template(long n) {
        Sha256Hash prev = Hashes.hash256(("block " + n).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return new Template(0x20000000L, prev, 900_000 + n, 0x17034219L, 1_750_000_000L + n, 1_749_999_000L, 312_500_000L, new byte[0],
                List.of(), Set.of("segwit"), null, Optional.empty());
    }
}
