package p2pool4j.bitcoind;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.bitcoin.Block;
import p2pool4j.bitcoin.Hex;

/**
 * Sends a block we found to bitcoind both ways at once: announced on the P2P link (fast, and it
 * survives an RPC hiccup) and through submitblock (which gives bitcoind's verdict).
 */
public final class BlockSubmitter {
    private static final Logger LOG = LoggerFactory.getLogger(BlockSubmitter.class);

    /** bitcoind's answer: {@code accepted} when submitblock returned null, else its reason. */
    public record Verdict(boolean accepted, String reason) {}

    /** Between delivery attempts while bitcoind cannot be reached. */
    static final long RETRY_MS = 2_000;
    /** A block not delivered in this long is given up (its parent is long buried or bitcoind is gone for good). */
    static final long GIVE_UP_MS = 10 * 60_000;

    private final RpcClient rpc;
    private final BitcoinP2pLink p2p;
    private final io.vertx.core.Context context;
    private final java.util.function.Supplier<p2pool4j.bitcoin.Sha256Hash> tip;

    /**
     * Create on the bitcoind links' context: submissions hop there, whatever thread found the block.
     *
     * @param tip the block miners build on now (null when unknown): a block whose parent is no
     *            longer the tip is not retried, it can only be an orphan
     */
    public BlockSubmitter(RpcClient rpc, BitcoinP2pLink p2p, java.util.function.Supplier<p2pool4j.bitcoin.Sha256Hash> tip) {
        this.rpc = rpc;
        this.p2p = p2p;
        this.context = io.vertx.core.Vertx.currentContext();
        this.tip = tip;
    }

    public BlockSubmitter(RpcClient rpc, BitcoinP2pLink p2p) {
        this(rpc, p2p, () -> null);
    }

    public Future<Verdict> submit(Block block) {
        return submit(block, true);
    }

    /**
     * @param withWitness the template's rules include segwit: send the BIP144 form; before
     *                    activation the coinbase witness would make the block invalid
     */
    public Future<Verdict> submit(Block block, boolean withWitness) {
        if (context != null && io.vertx.core.Vertx.currentContext() != context) {
            // The P2P link is single-threaded, and a miner connection's busy event loop must not delay bitcoind's answer.
            io.vertx.core.Promise<Verdict> p = io.vertx.core.Promise.promise();
            context.runOnContext(v -> deliver(block, withWitness, System.currentTimeMillis(), 1).onComplete(p));
            return p.future();
        }
        return deliver(block, withWitness, System.currentTimeMillis(), 1);
    }

    /**
     * Tries until bitcoind answers: a block found while bitcoind restarts is worth a full block
     * reward. Each attempt announces it over P2P and calls submitblock; only "could not reach
     * bitcoind" is retried (every {@value #RETRY_MS} ms), never bitcoind's own verdict, and not
     * once the tip has moved past the block's parent.
     */
    private Future<Verdict> deliver(Block block, boolean withWitness, long since, int attempt) {
        return submitHere(block, withWitness).recover(err -> {
            boolean unreachable = err instanceof BitcoindException be
                    && (be.kind() == BitcoindException.Kind.TRANSPORT || be.kind() == BitcoindException.Kind.HTTP);
            p2pool4j.bitcoin.Sha256Hash now = tip.get();
            boolean buried = now != null && !now.equals(block.header().previousBlock());
            if (!unreachable || buried || System.currentTimeMillis() - since > GIVE_UP_MS || context == null) {
                return Future.failedFuture(buried && unreachable
                        ? new BitcoindException(BitcoindException.Kind.TRANSPORT, err.getMessage() + "; not retried: the tip moved on")
                        : err);
            }
            if (attempt == 1) {
                LOG.warn("block {} could not be delivered ({}); retrying every {} s until bitcoind answers",
                        block.hash(), err.getMessage(), RETRY_MS / 1000);
            }
            io.vertx.core.Promise<Verdict> again = io.vertx.core.Promise.promise();
            context.owner().setTimer(RETRY_MS, id -> deliver(block, withWitness, since, attempt + 1).onComplete(again));
            return again.future();
        });
    }

    private Future<Verdict> submitHere(Block block, boolean withWitness) {
        Block sent = withWitness ? block : stripped(block);
        if (p2p != null) {
            p2p.announceBlock(sent);
        }
        String hash = block.hash().toDisplayHex();
        return rpc.call("submitblock", Hex.encode(sent.serialize(withWitness))).map(result -> {
            // "duplicate" (Core; bcoin: "rejected: duplicate") means bitcoind has it already: the P2P path, or a
            // peer node that relayed the same block share, delivered it first. "duplicate-invalid" is a known-bad block.
            Verdict v = result == null ? new Verdict(true, null)
                    : new Verdict(alreadyHas(String.valueOf(result)), String.valueOf(result));
            if (v.accepted()) {
                LOG.info("bitcoind accepted block {}", hash);
            } else {
                LOG.warn("bitcoind did not accept block {}: {}", hash, v.reason());
            }
            return v;
        });
    }

    static boolean alreadyHas(String submitblockAnswer) {
        return submitblockAnswer.equals("duplicate") || submitblockAnswer.equals("rejected: duplicate");
    }

    private static Block stripped(Block b) {
        java.util.List<p2pool4j.bitcoin.Transaction> txs = new java.util.ArrayList<>();
        for (p2pool4j.bitcoin.Transaction t : b.transactions()) {
            txs.add(new p2pool4j.bitcoin.Transaction(t.version(), t.inputs(), t.outputs(), java.util.List.of(), t.lockTime()));
        }
        return new Block(b.header(), txs);
    }
}
