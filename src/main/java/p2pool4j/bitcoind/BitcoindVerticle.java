package p2pool4j.bitcoind;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.Consumer;
import p2pool4j.bitcoin.ChainParams;

/**
 * The links to bitcoind on one event loop: the getblocktemplate long poll, the P2P link (new-tip
 * notices, block announcements) and block submission. Templates leave through the listener
 * (immutable records); blocks come in through {@link #submitter()}, which hops here.
 */
public final class BitcoindVerticle extends VerticleBase {
    private final RpcClient rpc;
    private final ChainParams chain;
    private final String host;
    private final int p2pPort;
    private final BitcoindMonitor monitor;
    private final Consumer<Template> onTemplate;
    private final java.util.function.Supplier<p2pool4j.bitcoin.Sha256Hash> tip;
    private TemplateSource templates;
    private BitcoinP2pLink p2p;
    private volatile BlockSubmitter submitter;

    /** @param tip the block miners build on now (a found block on another parent is not retried) */
    public BitcoindVerticle(RpcClient rpc, ChainParams chain, String host, int p2pPort, BitcoindMonitor monitor,
            Consumer<Template> onTemplate, java.util.function.Supplier<p2pool4j.bitcoin.Sha256Hash> tip) {
        this.tip = tip;
        this.rpc = rpc;
        this.chain = chain;
        this.host = host;
        this.p2pPort = p2pPort;
        this.monitor = monitor;
        this.onTemplate = onTemplate;
    }

    /** Where found blocks go (any thread; it hops to this verticle). Set once deployed. */
    public BlockSubmitter submitter() {
        return submitter;
    }

    @Override
    public Future<?> start() {
        templates = new TemplateSource(vertx, rpc, chain, monitor, onTemplate);
        p2p = new BitcoinP2pLink(vertx, chain, host, p2pPort, monitor, tip -> templates.refresh());
        submitter = new BlockSubmitter(rpc, p2p, tip);
        templates.start();
        p2p.start();
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        templates.stop();
        return p2p.stop();
    }
}
