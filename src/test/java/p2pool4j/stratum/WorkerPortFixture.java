package p2pool4j.stratum;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoind.Template;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.work.Node;
import p2pool4j.work.NodeVerticle;
import p2pool4j.work.Submissions;

/**
 * A node verticle on mainnet with a template at mainnet difficulty (no bitcoind: blocks are never
 * met) and the worker port on loopback: the production layout without the bitcoind and p2p
 * verticles. Submits are low-difficulty rejects unless pinned easy, which is all these tests need.
 */
final class WorkerPortFixture implements AutoCloseable {
    final Vertx vertx;
    final Node node;
    final WorkerPort port;

    WorkerPortFixture(Vertx vertx, int perIp, int total, int instances) throws Exception {
        this.vertx = vertx;
        NodeVerticle nv = new NodeVerticle(P2poolNetwork.MAIN, null);
        await(vertx.deployVerticle(nv));
        node = nv.node();
        node.setTemplate(template(1));
        node.configureWork(Address.p2pkh(Hashes.hash160(new byte[] {7}), ChainParams.MAIN), 0, 0, () -> null);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (node.snapshot().notReady() != null && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        port = new WorkerPort(vertx, new Submissions(node, null),
                new WorkerPort.Settings("127.0.0.1", 0, perIp, total, instances, 1024, 1, 1e12, 10, null));
        await(port.start());
    }

    static Template template(long n) {
        Sha256Hash prev = Hashes.hash256(("block " + n).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return new Template(0x20000000L, prev, 900_000 + n, 0x17034219L, 1_750_000_000L + n, 1_749_999_000L, 312_500_000L, new byte[0],
                List.of(), Set.of("segwit"), null, Optional.empty());
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        await(port.stop());
    }
}
