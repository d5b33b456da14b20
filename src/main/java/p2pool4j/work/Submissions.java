package p2pool4j.work;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.bitcoind.BlockSubmitter;

/**
 * Acts on a checked solution, in the order that loses nothing: a block goes to bitcoind first
 * (RPC and P2P), then a share goes to the node (tracker, store, peers), then the event is
 * published for the stats. Shared by every worker-port instance: called on the session's event
 * loop, thread-safe (its listeners are too).
 */
public final class Submissions {
    private static final Logger LOG = LoggerFactory.getLogger(Submissions.class);

    private final Node node;
    private final BlockSubmitter blocks;
    private final List<Consumer<SubmitEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<FoundBlock>> blockListeners = new CopyOnWriteArrayList<>();
    /**
     * Parents with a block of ours being delivered or accepted: a second block on the same parent
     * would only compete with ours (regtest makes dozens a second). A parent whose block bitcoind
     * refused, or that could not be delivered, is free again.
     */
    private final java.util.Map<p2pool4j.bitcoin.Sha256Hash, Boolean> blockParents =
            java.util.Collections.synchronizedMap(p2pool4j.util.Lru.map(64, false));

    /** @param blocks where found blocks go; null only for benchmarks without a bitcoind (then blocks are logged, not sent) */
    public Submissions(Node node, BlockSubmitter blocks) {
        this.node = node;
        this.blocks = blocks;
    }

    public Node node() {
        return node;
    }

    public void onEvent(Consumer<SubmitEvent> l) {
        listeners.add(l);
    }

    /** Found blocks: once when found, once more with bitcoind's verdict. */
    public void onBlock(Consumer<FoundBlock> l) {
        blockListeners.add(l);
    }

    public void apply(Job job, SubmitCheck.Outcome o, Username user, double difficulty, String userAgent) {
        p2pool4j.bitcoin.Sha256Hash parent = job.previousBlock();
        boolean submitted = o.block() != null && blockParents.putIfAbsent(parent, Boolean.TRUE) == null;
        if (o.blockUnbuilt()) {
            LOG.error("BLOCK LOST: {} by {} meets the block target at height {}, but its template's transactions are no longer held",
                    o.hash(), user.workerKey(), job.height());
            publishBlock(new FoundBlock(o.hash().toDisplayHex(), job.height(), job.coinbaseValue(), user.workerKey(),
                    System.currentTimeMillis(), null, "not submitted: its template's transactions were no longer held",
                    job.payoutAddress(), 0));
        }
        FoundBlock found = o.block() == null ? null : new FoundBlock(o.hash().toDisplayHex(), job.height(),
                job.coinbaseValue(), user.workerKey(), System.currentTimeMillis(),
                o.share() == null ? null : o.share().hash().toDisplayHex(), "pending", job.payoutAddress(), paidTo(o.block(), job.payoutAddress()));
        if (submitted) {
            LOG.info("BLOCK FOUND by {}: {} at height {}", user.workerKey(), o.hash(), job.height());
            publishBlock(found);
            if (blocks != null) {
                blocks.submit(o.block(), job.segwit()).onComplete(ar -> {
                    if (ar.failed()) {
                        blockParents.remove(parent);
                        LOG.error("block {} was not delivered to bitcoind: {}", o.hash(), ar.cause().getMessage());
                        publishBlock(found.withVerdict("not delivered: " + ar.cause().getMessage()));
                    } else if (ar.result().accepted()) {
                        publishBlock(found.withVerdict("accepted"));
                    } else {
                        blockParents.remove(parent);
                        publishBlock(found.withVerdict("rejected: " + ar.result().reason()));
                    }
                });
            } else {
                LOG.error("block {} found but this node has no bitcoind to submit it to", o.hash());
                publishBlock(found.withVerdict("not submitted: no bitcoind"));
            }
        } else if (found != null) {
            publishBlock(found.withVerdict("not submitted: a block on the same parent is being delivered or was accepted"));
        }
        if (o.result().accepted()) {
            node.localRates().add(job.payoutAddress(), difficulty * 4294967296.0, System.currentTimeMillis());
        }
        boolean doa = job.generation() < node.snapshot().generation();
        if (o.share() != null) {
            node.addLocalShare(o.share(), user.workerKey(), doa, submitted);
        }
        publish(new SubmitEvent(user.workerKey(), job.payoutAddress(), difficulty, o.result(), o.share() != null, o.block() != null,
                doa, o.achievedDifficulty(), userAgent, System.currentTimeMillis(),
                o.result().accepted() ? p2pool4j.bitcoin.Targets.bdiff(job.shareTarget()) : 0)); // only accepted ones feed the stats that use it
    }

    /** What a found block's coinbase pays {@code address} (0 when it cannot be read: an address of another network). */
    private long paidTo(p2pool4j.bitcoin.Block block, String address) {
        try {
            byte[] script = p2pool4j.bitcoin.Address.parse(address, node.net().chain()).script();
            long sum = 0;
            for (p2pool4j.bitcoin.TxOut out : block.transactions().get(0).outputs()) {
                if (java.util.Arrays.equals(out.script(), script)) {
                    sum += out.value();
                }
            }
            return sum;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** A rejection that never reached the hash (malformed, unknown job...). */
    public void rejected(Username user, SubmitResult r, String userAgent) {
        publish(new SubmitEvent(user == null ? "" : user.workerKey(), user == null ? "" : user.address(), 0, r, false, false, false, 0,
                userAgent, System.currentTimeMillis()));
    }

    private void publishBlock(FoundBlock b) {
        for (Consumer<FoundBlock> l : blockListeners) {
            try {
                l.accept(b);
            } catch (RuntimeException ex) {
                LOG.warn("block listener failed: {}", ex.toString());
            }
        }
    }

    private void publish(SubmitEvent e) {
        for (Consumer<SubmitEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn("submit listener failed: {}", ex.toString());
            }
        }
    }
}
