package p2pool4j.bitcoind;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.bitcoin.ChainParams;

/**
 * Keeps the node supplied with block templates. It checks the daemon's chain once per
 * connection, then keeps one getblocktemplate long poll outstanding, refreshes at once when the
 * P2P link reports a new tip ({@link #refresh()}), and every {@value #REFRESH_MS} ms so fees stay
 * current. Failures are retried with backoff forever: bitcoind being down or restarting is
 * never fatal. All methods run on the context that called {@link #start()}.
 */
public final class TemplateSource {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateSource.class);
    /** As the reference (spec 14.1): fees stay current, and a template older than 60 s (four refreshes) means bitcoind is gone. */
    static final long REFRESH_MS = 15_000;
    private static final long LONG_POLL_TIMEOUT_MS = 10 * 60_000;
    /** bitcoind is a local daemon: after it restarts, mining resumes within this long. */
    private static final long MAX_BACKOFF_MS = 4_000;

    private final Vertx vertx;
    private final RpcClient rpc;
    private final ChainParams chain;
    private final BitcoindMonitor monitor;
    private final Consumer<Template> listener;
    private final ProblemLog problems = new ProblemLog(LOG);

    private boolean running;
    private boolean verified;
    private boolean fetching;
    private boolean fetchAgain;
    private boolean longPolling;
    private long backoffMs = 1_000;
    private long retryTimer = -1;
    private long periodicTimer = -1;
    private Template last;

    public TemplateSource(Vertx vertx, RpcClient rpc, ChainParams chain, BitcoindMonitor monitor, Consumer<Template> listener) {
        this.vertx = vertx;
        this.rpc = rpc;
        this.chain = chain;
        this.monitor = monitor;
        this.listener = listener;
    }

    public void start() {
        running = true;
        periodicTimer = vertx.setPeriodic(REFRESH_MS, id -> refresh());
        refresh();
    }

    public void stop() {
        running = false;
        vertx.cancelTimer(periodicTimer);
        if (retryTimer >= 0) {
            vertx.cancelTimer(retryTimer);
        }
    }

    public Template last() {
        return last;
    }

    /** Fetch a template now (new tip seen on P2P, or periodic). Coalesces overlapping requests. */
    public void refresh() {
        if (!running) {
            return;
        }
        if (fetching) {
            fetchAgain = true;
            return;
        }
        fetching = true;
        Future<Void> ready = verified ? Future.succeededFuture() : verifyDaemon();
        Template previous = last;
        ready.compose(v -> rpc.call("getblocktemplate", new JsonArray().add(new JsonObject().put("rules", new JsonArray().add("segwit"))),
                        p -> TemplateParser.read(p, previous)))
                .onComplete(ar -> {
                    fetching = false;
                    if (ar.succeeded()) {
                        accept(ar.result());
                        startLongPoll();
                    } else {
                        fail(ar.cause());
                    }
                    if (fetchAgain && running) {
                        fetchAgain = false;
                        refresh();
                    }
                });
    }

    private Future<Void> verifyDaemon() {
        return rpc.call("getblockchaininfo").compose(info -> {
            if (!(info instanceof JsonObject o) || !(o.getValue("chain") instanceof String c)) {
                return Future.failedFuture(new BitcoindException(BitcoindException.Kind.BAD_RESPONSE,
                        "getblockchaininfo has no chain field"));
            }
            if (!c.equals(chain.rpcChainName())) {
                return Future.failedFuture(new BitcoindException(BitcoindException.Kind.INCOMPATIBLE,
                        "bitcoind at " + rpc.endpoint() + " is on chain '" + c + "' but this node runs --net "
                                + chain.cliName() + " (expects '" + chain.rpcChainName() + "')"));
            }
            return rpc.call("getnetworkinfo").map(net -> {
                String sub = net instanceof JsonObject n ? n.getString("subversion", "?") : "?";
                monitor.update(s -> s.withNode(c, sub));
                LOG.info("bitcoind {} at {} on chain {}, {} blocks", sub, rpc.endpoint(), c, o.getValue("blocks"));
                verified = true;
                return null;
            });
        });
    }

    private void accept(Template t) {
        backoffMs = 1_000;
        problems.recovered("bitcoind at " + rpc.endpoint() + " answers again");
        monitor.update(s -> s.withTemplate(t, System.currentTimeMillis()));
        boolean changed = t.replaces(last);
        last = t;
        if (changed) {
            LOG.debug("new template at height {} on {}", t.height(), t.previousBlockHash());
        }
        listener.accept(t);
    }

    private void fail(Throwable err) {
        String msg = err instanceof BitcoindException be ? be.getMessage() : "bitcoind: " + err;
        if (err instanceof BitcoindException be && be.kind() != BitcoindException.Kind.RPC) {
            verified = false; // a new connection may be a restarted or different daemon
        }
        problems.problem(msg + " (retrying)");
        monitor.update(s -> s.withRpc(false, msg));
        if (retryTimer < 0 && running) {
            retryTimer = vertx.setTimer(backoffMs, id -> {
                retryTimer = -1;
                refresh();
            });
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
    }

    private void startLongPoll() {
        if (longPolling || last == null || last.longPollId() == null || !running) {
            return;
        }
        longPolling = true;
        JsonObject req = new JsonObject().put("rules", new JsonArray().add("segwit")).put("longpollid", last.longPollId());
        Template previous = last;
        rpc.longPoll(LONG_POLL_TIMEOUT_MS, "getblocktemplate", new JsonArray().add(req), p -> TemplateParser.read(p, previous))
                .onComplete(ar -> {
                    longPolling = false;
                    if (!running) {
                        return;
                    }
                    if (ar.succeeded()) {
                        accept(ar.result());
                        startLongPoll();
                    } else if (ar.cause() instanceof BitcoindException be && be.kind() == BitcoindException.Kind.TRANSPORT) {
                        // bitcoind went away under the long poll: retry with the backoff, not at the next 30-s refresh.
                        fail(be);
                    } else {
                        // A timeout or an odd answer: the ordinary refresh path reports and retries.
                        LOG.debug("long poll ended: {}", ar.cause().getMessage());
                    }
                });
    }
}
