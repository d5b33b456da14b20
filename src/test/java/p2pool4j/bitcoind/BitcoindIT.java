package p2pool4j.bitcoind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.Block;
import p2pool4j.bitcoin.BlockHeader;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Merkle;
import p2pool4j.bitcoin.Script;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Transaction;
import p2pool4j.bitcoin.TxIn;
import p2pool4j.bitcoin.TxOut;
import p2pool4j.bitcoin.WitnessCommitment;
import p2pool4j.testutil.BcoinExtension;
import p2pool4j.testutil.BcoinNode;

/**
 * The bitcoind links against a real full node (bcoin regtest): templates, blocks we build and
 * submit by RPC and by P2P, tip notices, and surviving a daemon restart.
 */
@ExtendWith(BcoinExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BitcoindIT {
    private Vertx vertx;
    private Context ctx;
    private RpcClient rpc;
    private BitcoindMonitor monitor;
    private BitcoinP2pLink p2p;
    private TemplateSource source;
    private final BlockingQueue<Template> templates = new LinkedBlockingQueue<>();
    private final BlockingQueue<Sha256Hash> tips = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp(BcoinNode bcoin) throws Exception {
        vertx = Vertx.vertx();
        ctx = vertx.getOrCreateContext();
        monitor = new BitcoindMonitor();
        rpc = new RpcClient(vertx, "127.0.0.1", bcoin.rpcPort(), CredentialSource.fixed("x", BcoinNode.API_KEY));
        onContext(() -> {
            source = new TemplateSource(vertx, rpc, ChainParams.REGTEST, monitor, templates::add);
            p2p = new BitcoinP2pLink(vertx, ChainParams.REGTEST, "127.0.0.1", bcoin.p2pPort(), monitor, h -> {
                if (h != null) { // null: the link came (back) up, the tip unknown
                    tips.add(h);
                }
                source.refresh();
            });
            source.start();
            p2p.start();
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        onContext(() -> {
            source.stop();
            p2p.stop();
        });
        rpc.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void onContext(Runnable r) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            try {
                r.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static void waitFor(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private Template freshTemplate(long height) throws Exception {
        while (true) {
            Template t = templates.poll(60, TimeUnit.SECONDS);
            if (t == null) {
                throw new AssertionError("no template at height " + height);
            }
            if (t.height() == height) {
                return t;
            }
        }
    }

    /** Builds a block on a template paying half to a P2PKH and half to a P2WPKH output, and grinds its nonce. */
    static Block buildBlock(Template t, String tag) {
        byte[] keyHash = Hashes.hash160(tag.getBytes(StandardCharsets.UTF_8));
        byte[] height = Script.pushNumber(t.height());
        byte[] extra = ("/p2pool4j-test/" + tag).getBytes(StandardCharsets.US_ASCII);
        byte[] scriptSig = new byte[height.length + extra.length];
        System.arraycopy(height, 0, scriptSig, 0, height.length);
        System.arraycopy(extra, 0, scriptSig, height.length, extra.length);
        List<TxOut> outs = new ArrayList<>();
        long half = t.coinbaseValue() / 2;
        outs.add(new TxOut(half, Address.p2pkh(keyHash, ChainParams.REGTEST).script()));
        outs.add(new TxOut(t.coinbaseValue() - half, Address.witness(0, keyHash, ChainParams.REGTEST).script()));
        List<List<byte[]>> witness = List.of();
        if (t.segwitActive()) {
            List<Sha256Hash> wtxids = new ArrayList<>();
            t.transactions().forEach(tx -> wtxids.add(tx.wtxid()));
            byte[] reserved = new byte[32];
            Sha256Hash c = WitnessCommitment.commitment(WitnessCommitment.wtxidRoot(wtxids), reserved);
            outs.add(new TxOut(0, WitnessCommitment.script(c)));
            witness = List.of(List.of(reserved));
        }
        Transaction coinbase = new Transaction(1, List.of(TxIn.coinbase(scriptSig)), outs, witness, 0);
        List<Transaction> txs = new ArrayList<>();
        txs.add(coinbase);
        t.transactions().forEach(tx -> txs.add(Transaction.parse(tx.data())));
        List<Sha256Hash> ids = new ArrayList<>();
        txs.forEach(tx -> ids.add(tx.txid()));
        BlockHeader h = new BlockHeader(t.version(), t.previousBlockHash(), Merkle.root(ids), t.curTime(), t.bits(), 0);
        long nonce = 0;
        while (!h.withNonce(nonce).meetsOwnTarget()) {
            nonce++;
        }
        return new Block(h.withNonce(nonce), txs);
    }

    @Test
    @Order(1)
    void templateFromARealNodeAndTypedRpcErrors(BcoinNode bcoin) throws Exception {
        Template t = templates.poll(60, TimeUnit.SECONDS);
        assertTrue(t != null, "a template arrived");
        assertEquals(bcoin.height() + 1, t.height());
        assertEquals(0x207fffffL, t.bits());
        assertTrue(t.longPollId() != null);
        waitFor("P2P link", () -> monitor.state().p2pConnected());
        assertEquals("regtest", monitor.state().chain());

        RpcClient wrong = new RpcClient(vertx, "127.0.0.1", bcoin.rpcPort(), CredentialSource.fixed("x", "wrong"));
        BitcoindException auth = assertFailure(wrong.call("getblockcount"));
        assertEquals(BitcoindException.Kind.AUTH, auth.kind());
        assertEquals("bitcoind rejected the RPC credentials", auth.getMessage());
        BitcoindException missing = assertFailure(rpc.call("nosuchmethod"));
        assertEquals(BitcoindException.Kind.RPC, missing.kind());
        assertEquals(BitcoindException.METHOD_NOT_FOUND, missing.rpcCode());
        RpcClient down = new RpcClient(vertx, "127.0.0.1", BcoinNode.freePort(), CredentialSource.fixed("x", "y"));
        assertEquals(BitcoindException.Kind.TRANSPORT, assertFailure(down.call("getblockcount")).kind());
        wrong.close();
        down.close();
    }

    private static BitcoindException assertFailure(Future<?> f) throws Exception {
        try {
            await(f);
        } catch (java.util.concurrent.ExecutionException e) {
            assertTrue(e.getCause() instanceof BitcoindException, String.valueOf(e.getCause()));
            return (BitcoindException) e.getCause();
        }
        throw new AssertionError("call succeeded");
    }

    @Test
    @Order(2)
    void generatedBlockIsSeenOverP2pWithinMilliseconds(BcoinNode bcoin) throws Exception {
        waitFor("P2P link", () -> p2p.connected());
        tips.clear();
        long before = System.nanoTime();
        String hash = bcoin.generate(1).get(0).asText();
        Sha256Hash tip = tips.poll(10, TimeUnit.SECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        assertEquals(hash, String.valueOf(tip));
        freshTemplate(bcoin.height() + 1);
        System.out.println("tip notice " + ms + " ms after generate returned");
    }

    @Test
    @Order(3)
    void ourSegwitBlockIsAcceptedThroughSubmitblockAndP2p(BcoinNode bcoin) throws Exception {
        // csv and segwit activate after three BIP9 windows on bcoin's regtest.
        if (bcoin.height() < 432) {
            bcoin.generate((int) (432 - bcoin.height()));
        }
        long h = bcoin.height();
        Template t = freshTemplate(h + 1);
        assertTrue(t.segwitActive(), "segwit rules listed: " + t.rules());
        Block block = buildBlock(t, "rpc");
        BlockSubmitter submitter = new BlockSubmitter(rpc, p2p);
        CompletableFuture<BlockSubmitter.Verdict> verdict = new CompletableFuture<>();
        onContext(() -> submitter.submit(block).onComplete(ar -> {
            if (ar.succeeded()) {
                verdict.complete(ar.result());
            } else {
                verdict.completeExceptionally(ar.cause());
            }
        }));
        assertTrue(verdict.get(60, TimeUnit.SECONDS).accepted(), "verdict " + verdict.get());
        assertEquals(h + 1, bcoin.height());
        assertEquals(block.hash().toDisplayHex(), bcoin.rpc("getbestblockhash").asText());
        JsonNode got = bcoin.rpc("getblock", block.hash().toDisplayHex(), true, true);
        JsonNode cb = got.get("tx").get(0);
        assertEquals(block.transactions().get(0).txid().toDisplayHex(), cb.get("txid").asText());
        assertEquals(3, cb.get("vout").size());
        assertEquals(Hex.encode(block.transactions().get(0).outputs().get(1).script()),
                cb.get("vout").get(1).get("scriptPubKey").get("hex").asText());

        // Second block: P2P only (headers announcement, bcoin asks with getdata).
        Template t2 = freshTemplate(h + 2);
        Block viaP2p = buildBlock(t2, "p2p");
        onContext(() -> p2p.announceBlock(viaP2p));
        waitFor("bcoin to take the P2P block", () -> {
            try {
                return bcoin.height() == h + 2;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(viaP2p.hash().toDisplayHex(), bcoin.rpc("getbestblockhash").asText());
    }

    @Test
    @Order(4)
    void bothLinksReconnectAfterBitcoindRestarts(BcoinNode bcoin) throws Exception {
        waitFor("P2P link", () -> p2p.connected());
        bcoin.stopProcess();
        waitFor("P2P link down", () -> !monitor.state().p2pConnected());
        bcoin.restart();
        templates.clear();
        waitFor("P2P link back", () -> monitor.state().p2pConnected());
        Template t = templates.poll(60, TimeUnit.SECONDS);
        assertTrue(t != null, "templates flow again");
        assertEquals(1, t.height(), "the restarted in-memory chain starts over");
        assertFalse(monitor.state().lastError() != null && monitor.state().rpcConnected());
    }
}
