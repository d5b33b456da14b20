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

    private final RpcClient rpc;
    private final BitcoinP2pLink p2p;
    private final io.vertx.core.Context context;

    /** Create on the bitcoind links' context: submissions hop there, whatever thread found the block. */
    public BlockSubmitter(RpcClient rpc, BitcoinP2pLink p2p) {
        this.rpc = rpc;
        this.p2p = p2p;
        this.context = io.vertx.core.Vertx.currentContext();
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
            context.runOnContext(v -> submitHere(block, withWitness).onComplete(p));
            return p.future();
        }
        return submitHere(block, withWitness);
    }

    private Future<Verdict> submitHere(Block block, boolean withWitness) {
        Block sent = withWitness ? block : stripped(block);
        if (p2p != null) {
            p2p.announceBlock(sent);
        }
        String hash = block.hash().toDisplayHex();
        return rpc.call("submitblock", Hex.encode(sent.serialize(withWitness))).map(result -> {
            // "duplicate" means the P2P path delivered it first.
            Verdict v = result == null ? new Verdict(true, null)
                    : new Verdict("duplicate".equals(result), String.valueOf(result));
            if (v.accepted()) {
                LOG.info("bitcoind accepted block {}", hash);
            } else {
                LOG.warn("bitcoind did not accept block {}: {}", hash, v.reason());
            }
            return v;
        });
    }

    private static Block stripped(Block b) {
        java.util.List<p2pool4j.bitcoin.Transaction> txs = new java.util.ArrayList<>();
        for (p2pool4j.bitcoin.Transaction t : b.transactions()) {
            txs.add(new p2pool4j.bitcoin.Transaction(t.version(), t.inputs(), t.outputs(), java.util.List.of(), t.lockTime()));
        }
        return new Block(b.header(), txs);
    }
}
