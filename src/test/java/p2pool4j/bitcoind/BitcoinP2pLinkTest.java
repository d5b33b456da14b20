package p2pool4j.bitcoind;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.FrameCodec;
import p2pool4j.bitcoin.Hex;

/**
 * A misbehaving P2P peer on loopback standing in for a broken bitcoind: each bad frame closes the
 * connection, is counted, and the link reconnects; nothing escapes.
 */
class BitcoinP2pLinkTest {
    private static final FrameCodec CODEC = new FrameCodec(ChainParams.REGTEST.p2pMagic(), 32_000_000);
    private Vertx vertx;
    private NetServer server;
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private int serve(List<byte[]> script) throws Exception {
        server = vertx.createNetServer().connectHandler(s -> {
            int n = connections.getAndIncrement();
            s.write(Buffer.buffer(script.get(Math.min(n, script.size() - 1))));
        });
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private static void waitFor(BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out");
            Thread.sleep(20);
        }
    }

    @Test
    void badFramesAreCountedAndTheLinkReconnects() throws Exception {
        byte[] version = CODEC.encode("version", P2pMessages.version(0, 1, "/fake/"));
        byte[] verack = CODEC.encode("verack", new byte[0]);
        byte[] badChecksum = CODEC.encode("ping", new byte[8]);
        badChecksum[20] ^= 1;
        byte[] oversize = CODEC.encode("block", new byte[0]);
        byte[] len = Hex.decode("00e1f505"); // 100,000,000 > 32 MB: refused before allocating
        System.arraycopy(len, 0, oversize, 16, 4);
        byte[] truncatedInv = CODEC.encode("inv", Hex.decode("05"));
        byte[] unknownThenGood = Buffer.buffer(CODEC.encode("whatever", new byte[3])).appendBytes(version).appendBytes(verack).getBytes();
        int port = serve(List.of(badChecksum, oversize, Hex.decode("00".repeat(64)),
                Buffer.buffer(version).appendBytes(verack).appendBytes(truncatedInv).getBytes(), unknownThenGood));
        BitcoindMonitor monitor = new BitcoindMonitor();
        BitcoinP2pLink[] link = new BitcoinP2pLink[1];
        vertx.runOnContext(v -> {
            link[0] = new BitcoinP2pLink(vertx, ChainParams.REGTEST, "127.0.0.1", port, monitor, h -> { });
            link[0].start();
        });
        // Four bad connections, then one that stays up despite an unknown command.
        waitFor(() -> monitor.state().p2pConnected() && connections.get() >= 5);
        assertTrue(link[0].badFrames() >= 4, "bad frames counted: " + link[0].badFrames());
        vertx.runOnContext(v -> link[0].stop());
    }
}
