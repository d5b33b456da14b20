package p2pool4j.bitcoind;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import p2pool4j.bitcoin.Block;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * A block found while bitcoind cannot be reached is delivered once it answers, and given up only
 * when the tip has moved past its parent. The outage is injected: a loopback port with nothing
 * listening, then a stand-in RPC server there (bcoin cannot be stopped and restarted on demand
 * inside a unit test; the integration tests use the real one).
 */
@ExtendWith(VertxExtension.class)
class BlockDeliveryTest {
    private static final Block BLOCK = ChainParams.REGTEST.genesisBlock();

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Future<HttpServer> standIn(Vertx vertx, int port, AtomicInteger calls) {
        return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            calls.incrementAndGet();
            req.response().end(new JsonObject().putNull("result").putNull("error").put("id", b.toJsonObject().getValue("id")).encode());
        })).listen(port, "127.0.0.1");
    }

    @Test
    void aBlockFoundDuringAnOutageIsDeliveredWhenBitcoindAnswers(Vertx vertx, VertxTestContext test) throws Exception {
        int port = freePort();
        RpcClient rpc = new RpcClient(vertx, "127.0.0.1", port, CredentialSource.fixed("u", "p"));
        AtomicInteger calls = new AtomicInteger();
        Promise<BlockSubmitter> made = Promise.promise();
        vertx.runOnContext(v -> made.complete(new BlockSubmitter(rpc, null, () -> BLOCK.header().previousBlock())));
        BlockSubmitter submitter = made.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        submitter.submit(BLOCK, true).onComplete(test.succeeding(verdict -> test.verify(() -> {
            assertTrue(verdict.accepted(), String.valueOf(verdict));
            assertTrue(calls.get() == 1, "delivered once bitcoind answered: " + calls.get());
            System.out.printf("block delivered %.1f s after it was found (bitcoind back after 3 s)%n", (System.nanoTime() - t0) / 1e9);
            test.completeNow();
        })));
        vertx.setTimer(3_000, id -> standIn(vertx, port, calls));
        assertTrue(test.awaitCompletion(30, TimeUnit.SECONDS));
    }

    @Test
    void aBlockWhoseParentIsNoLongerTheTipIsGivenUp(Vertx vertx, VertxTestContext test) throws Exception {
        int port = freePort();
        RpcClient rpc = new RpcClient(vertx, "127.0.0.1", port, CredentialSource.fixed("u", "p"));
        AtomicReference<Sha256Hash> tip = new AtomicReference<>(BLOCK.header().previousBlock());
        Promise<BlockSubmitter> made = Promise.promise();
        vertx.runOnContext(v -> made.complete(new BlockSubmitter(rpc, null, tip::get)));
        BlockSubmitter submitter = made.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        submitter.submit(BLOCK, true).onComplete(test.failing(err -> test.verify(() -> {
            assertTrue(err.getMessage().contains("tip moved on"), err.getMessage());
            test.completeNow();
        })));
        vertx.setTimer(2_500, id -> tip.set(BLOCK.hash()));
        assertTrue(test.awaitCompletion(30, TimeUnit.SECONDS));
    }

    /** bitcoind answering that it already has the block (Core "duplicate", bcoin "rejected: duplicate") is a delivered block. */
    @Test
    void aBlockBitcoindAlreadyHasCountsAsAccepted() {
        org.junit.jupiter.api.Assertions.assertTrue(BlockSubmitter.alreadyHas("duplicate"));
        org.junit.jupiter.api.Assertions.assertTrue(BlockSubmitter.alreadyHas("rejected: duplicate"));
        org.junit.jupiter.api.Assertions.assertFalse(BlockSubmitter.alreadyHas("duplicate-invalid"));
        org.junit.jupiter.api.Assertions.assertFalse(BlockSubmitter.alreadyHas("rejected: bad-txnmrklroot"));
    }
}
