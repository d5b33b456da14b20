package p2pool4j.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * Parent-block heights for fork scoring: relative to the highest block known, asked of bitcoind
 * once per block and asynchronously (unknown until the answer, which makes the node think again),
 * and a block bitcoind does not know is asked no more.
 */
@ExtendWith(VertxExtension.class)
class BlockHeightsTest {
    private static final Sha256Hash TIP = Hashes.hash256(new byte[] {1});
    private static final Sha256Hash OLDER = Hashes.hash256(new byte[] {2});
    private static final Sha256Hash JUNK = Hashes.hash256(new byte[] {3});

    @Test
    void heightsArriveOnceAndCountFromTheTip(Vertx vertx, VertxTestContext test) {
        Context context = vertx.getOrCreateContext();
        AtomicInteger asked = new AtomicInteger();
        AtomicInteger rethinks = new AtomicInteger();
        context.runOnContext(v -> {
            BlockHeights h = new BlockHeights();
            h.source(block -> {
                asked.incrementAndGet();
                return block.equals(OLDER) ? Future.succeededFuture(95) : Future.failedFuture("Block not found");
            }, context, rethinks::incrementAndGet);
            h.known(TIP, 100);
            test.verify(() -> {
                assertEquals(0, h.relative(TIP), "the tip needs no question");
                assertNull(h.relative(OLDER), "unknown until bitcoind answers");
                assertNull(h.relative(OLDER), "asked once, not twice");
                assertNull(h.relative(JUNK));
            });
            vertx.setTimer(100, t -> test.verify(() -> {
                assertEquals(-5, h.relative(OLDER));
                assertNull(h.relative(JUNK), "a block bitcoind does not know stays very old");
                assertEquals(2, asked.get(), "one question per block");
                assertEquals(1, rethinks.get(), "a new height makes the node think again");
                test.completeNow();
            }));
        });
    }
}
