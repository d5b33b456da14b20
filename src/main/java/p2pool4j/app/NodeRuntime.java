package p2pool4j.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoind.BitcoinP2pLink;
import p2pool4j.bitcoind.BitcoindMonitor;
import p2pool4j.bitcoind.BlockSubmitter;
import p2pool4j.bitcoind.CredentialSource;
import p2pool4j.bitcoind.RpcClient;
import p2pool4j.bitcoind.Template;
import p2pool4j.bitcoind.TemplateSource;
import p2pool4j.p2p.AddressBook;
import p2pool4j.p2p.PeerManager;
import p2pool4j.stats.AddressStore;
import p2pool4j.stats.Database;
import p2pool4j.stats.ShareStore;
import p2pool4j.stats.LiveStats;
import p2pool4j.stratum.StratumServer;
import p2pool4j.web.WebServer;
import p2pool4j.work.Node;
import p2pool4j.work.Submissions;

/**
 * Wires the subsystems together and owns their lifecycle: start order, one log line per
 * subsystem, and graceful shutdown. So far: the bitcoind links and the payout address; the
 * sharechain, peers, miner servers and web UI plug in here as they are built.
 */
public final class NodeRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);

    private final Config config;
    private final Vertx vertx;
    private final BitcoindMonitor monitor = new BitcoindMonitor();
    private RpcClient rpc;
    private TemplateSource templates;
    private BitcoinP2pLink p2p;
    private BlockSubmitter submitter;
    private Database db;
    private Node node;
    private PeerManager peers;
    private Submissions submissions;
    private final io.vertx.core.Promise<Void> linksUp = io.vertx.core.Promise.promise();
    private StratumServer workers;
    private final LiveStats liveStats = new LiveStats();
    private WebServer web;
    private NodeWebView webView;
    private final p2pool4j.web.GaugeHistory gauges = new p2pool4j.web.GaugeHistory();
    private final p2pool4j.stats.Metrics metrics;
    private p2pool4j.stats.StatsWriter statsWriter;
    private AddressStore addresses;
    private volatile Address payout;
    private volatile Template lastTemplate;

    public NodeRuntime(Config config) {
        this.config = config;
        this.vertx = Vertx.vertx();
        this.metrics = new p2pool4j.stats.Metrics(config.metricsPerWorker());
    }

    public Future<Void> start() {
        try {
            db = Database.open(config.datadir());
        } catch (java.sql.SQLException e) {
            return Future.failedFuture(e);
        }
        LOG.info("database {}", db.file());
        node = new Node(vertx, config.net(), new ShareStore(db, config.net().name()));
        addresses = new AddressStore(db, config.net().name());
        java.util.List<String[]> persistent = new java.util.ArrayList<>();
        config.p2poolNodes().forEach(hp -> persistent.add(new String[] {hp.host(), String.valueOf(hp.port())}));
        peers = new PeerManager(vertx, node, new PeerManager.Settings("0.0.0.0", config.p2poolPort(), persistent,
                config.outgoingConns(), config.maxConns(), config.lowBandwidth(), "p2pool4j/" + Cli.VERSION.substring(9)));
        node.onBestShare(h -> LOG.debug("best share {}", h));
        Future<Void> chainLoaded = node.start()
                .compose(v -> Future.fromCompletionStage(addresses.load(), node.context()))
                .compose(rows -> Future.<Void>future(p -> node.context().runOnContext(x -> {
                    java.util.List<java.util.Map.Entry<AddressBook.Key, AddressBook.Entry>> entries = new java.util.ArrayList<>();
                    rows.forEach(r -> entries.add(java.util.Map.entry(new AddressBook.Key(r.host(), r.port()),
                            new AddressBook.Entry(r.services(), r.firstSeen(), r.lastSeen()))));
                    peers.loadAddresses(entries);
                    p.complete();
                })))
                .compose(v -> peers.start())
                .compose(port -> linksUp.future()) // the block submitter exists only once the bitcoind links are up
                .compose(x -> {
                    vertx.setPeriodic(60_000, id -> saveAddresses());
                    submissions = new Submissions(node, submitter);
                    submissions.onEvent(liveStats::accept);
                    statsWriter = new p2pool4j.stats.StatsWriter(db, config.statsRetentionDays());
                    submissions.onEvent(statsWriter::accept);
                    submissions.onEvent(metrics::accept);
                    submissions.onBlock(statsWriter::blockFound);
                    submissions.onBlock(liveStats::blockFound);
                    submissions.onBlock(metrics::blockFound);
                    workers = new StratumServer(vertx, submissions, new StratumServer.Settings("0.0.0.0", config.workerPort(), config.maxSessionsPerIp(),
                            startDifficulty(), minDifficulty(), 1e12, 10, null));
                    statsWriter.connections(workers::workerConnections);
                    return workers.start();
                })
                .compose(port -> {
                    webView = new NodeWebView(config, node, peers, monitor, () -> payout);
                    vertx.setPeriodic(10_000, id -> webView.shareStatuses().onSuccess(statsWriter::shareStatus));
                    web = new WebServer(vertx, new WebServer.Sources(liveStats, new p2pool4j.stats.StatsQueries(db), webView,
                            config.net().cliName(), metrics::scrape, gauges));
                    restoreGauges();
                    vertx.setPeriodic(5_000, id -> sample());
                    metrics.counterFrom("p2pool.web.bad.requests", "Web requests answered with a 4xx", web::badRequests);
                    metrics.counterFrom("p2pool.stats.events.dropped", "Submit events the stats writer had no room for",
                            statsWriter::droppedTotal);
                    return web.start(config.webBind(), config.webPort());
                })
                .map(port -> {
                    String host = config.webBind().equals("0.0.0.0") ? "127.0.0.1" : config.webBind();
                    relayWebOnWorkerPort(host, port);
                    LOG.info("web UI and API: http://{}:{}/ (listening on {})", host, port, config.webBind());
                    return null;
                });
        var creds = config.cookieAuth()
                ? CredentialSource.cookie(vertx, config.bitcoindCookie().toString())
                : CredentialSource.fixed(config.rpcUser().get(), config.rpcPassword().get());
        rpc = new RpcClient(vertx, config.bitcoindAddress(), config.bitcoindRpcPort(), creds);
        LOG.info("network {}; bitcoind RPC {}:{} ({}), P2P {}:{}", config.net().cliName(), config.bitcoindAddress(),
                config.bitcoindRpcPort(), config.cookieAuth() ? "cookie " + config.bitcoindCookie() : "user " + config.rpcUser().get(),
                config.bitcoindAddress(), config.bitcoindP2pPort());
        Future<Void> started = Future.future(p -> vertx.getOrCreateContext().runOnContext(v -> {
            templates = new TemplateSource(vertx, rpc, config.net().chain(), monitor, t -> {
                if (t.replaces(lastTemplate)) {
                    LOG.info("work: block {} on {} ({} transactions, {} sat)", t.height(), t.previousBlockHash(),
                            t.transactions().size(), t.coinbaseValue());
                }
                lastTemplate = t;
                node.setTemplate(t);
            });
            p2p = new BitcoinP2pLink(vertx, config.net().chain(), config.bitcoindAddress(), config.bitcoindP2pPort(), monitor,
                    tip -> templates.refresh());
            submitter = new BlockSubmitter(rpc, p2p);
            templates.start();
            p2p.start();
            linksUp.complete();
            p.complete();
        }));
        PayoutAddress.resolve(vertx, config, rpc).onSuccess(a -> {
            payout = a;
            LOG.info("payout address for miners without one: {}", a);
            node.configureWork(a, config.feePercent(), config.giveAuthorPercent(), this::notReadyReason);
        }).onFailure(err -> {
            LOG.error("{}", err.getMessage());
            if (err instanceof PayoutAddress.NoWalletException) {
                stop().onComplete(v -> Main.exit(2));
            }
        });
        return Future.all(started, chainLoaded).mapEmpty();
    }

    public Node node() {
        return node;
    }

    public PeerManager peers() {
        return peers;
    }

    public Submissions submissions() {
        return submissions;
    }

    public LiveStats liveStats() {
        return liveStats;
    }

    /** The gauge graphs' five-minute averages: stored as they finish, put back at start (graphs survive restarts). */
    private void restoreGauges() {
        p2pool4j.stats.GaugeStore store = new p2pool4j.stats.GaugeStore(db);
        // Read on the database thread; restored there too (GaugeHistory is thread-safe), long before a first average is due.
        store.load(System.currentTimeMillis() - p2pool4j.stats.GaugeStore.KEEP_DAYS * 86_400_000L)
                .thenAccept(rows -> rows.forEach(s -> gauges.restore(s.stream(), s.timeMs(), s.values())))
                .exceptionally(err -> {
                    LOG.warn("could not reload the graph history: {}", err.toString());
                    return null;
                });
        gauges.onCoarse((stream, sample) -> store.save(new p2pool4j.stats.GaugeStore.Sample(stream, sample.timeMs(), sample.values()))
                .exceptionally(err -> {
                    LOG.debug("could not store a graph point: {}", err.toString());
                    return null;
                }));
    }

    /**
     * The reference answers its JSON endpoints (/local_stats, /rate...) on the worker port, where
     * scanners look for them: GET requests there other than getwork's are relayed to the web server.
     */
    private void relayWebOnWorkerPort(String host, int port) {
        io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setDefaultHost(host).setDefaultPort(port), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(8));
        workers.getwork().web(path -> client.request(io.vertx.core.http.HttpMethod.GET, path)
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(body -> new p2pool4j.getwork.GetworkService.WebReply(resp.statusCode(),
                        resp.getHeader("Content-Type") == null ? "application/octet-stream" : resp.getHeader("Content-Type"), body))));
    }

    /** Every 5 s: the graphs' gauge samples and the figures for /metrics, from one reading of the node (on its context). */
    private void sample() {
        java.util.Set<String> localAddresses = new java.util.HashSet<>();
        double localRate = 0;
        for (var w : liveStats.workers()) {
            localAddresses.add(w.address());
            localRate += w.hashrate();
        }
        double local = localRate;
        var st = monitor.state();
        int miners = workers == null ? 0 : workers.sessionCount();
        webView.sample(gauges, localAddresses).onSuccess(s -> metrics.gauges(new p2pool4j.stats.Metrics.Gauges(s.peersIncoming(),
                s.peersOutgoing(), miners, s.height(), s.shares(), st.rpcConnected(), st.height(), s.nonstaleHashrate(), local)));
    }

    /** Why miners get no work now (null when ready). Called on the node's context. */
    private String notReadyReason() {
        var st = monitor.state();
        if (st.lastTemplateMillis() == 0) {
            return "waiting for a block template from bitcoind";
        }
        if (System.currentTimeMillis() - st.lastTemplateMillis() > 90_000) {
            return "lost contact with bitcoind";
        }
        if (config.net().persist() && peers.peers().isEmpty()) {
            return "p2pool is not connected to any peers";
        }
        if (config.net().persist() && node.best() == null) {
            return "p2pool is downloading shares";
        }
        return null;
    }

    /** Pseudo-share difficulty a new session starts at: ASIC-sized on mainnet, CPU-sized on the test networks. */
    private double startDifficulty() {
        return config.net() == p2pool4j.sharechain.P2poolNetwork.MAIN ? 1024 : config.net() == p2pool4j.sharechain.P2poolNetwork.TESTNET ? 1 : 0.001;
    }

    private double minDifficulty() {
        return config.net() == p2pool4j.sharechain.P2poolNetwork.MAIN ? 1 : 1e-9;
    }

    private Future<Void> saveAddresses() {
        return Future.<java.util.List<AddressStore.Row>>future(p -> node.context().runOnContext(v -> {
            java.util.List<AddressStore.Row> rows = new java.util.ArrayList<>();
            peers.addressBook().entries().forEach((k, e) -> rows.add(
                    new AddressStore.Row(k.host(), k.port(), e.services(), e.firstSeen(), e.lastSeen())));
            p.complete(rows);
        })).compose(rows -> Future.fromCompletionStage(addresses.save(rows)));
    }

    public Address payoutAddress() {
        return payout;
    }

    public BitcoindMonitor monitor() {
        return monitor;
    }

    public BlockSubmitter submitter() {
        return submitter;
    }

    public Future<Void> stop() {
        LOG.info("stopping");
        Future<Void> minersTold = workers == null ? Future.succeededFuture() : workers.stop();
        return minersTold.eventually(() -> Future.<Void>future(p -> vertx.runOnContext(v -> {
            if (templates != null) {
                templates.stop();
            }
            Future<Void> p2pStopped = p2p != null ? p2p.stop() : Future.succeededFuture();
            if (node != null) {
                node.stop();
            }
            if (web != null) {
                web.stop();
            }
            Future<Void> peersStopped = peers == null ? Future.succeededFuture()
                    : saveAddresses().eventually(() -> peers.stop());
            Future.all(p2pStopped, peersStopped).eventually(() -> {
                rpc.close();
                return vertx.close();
            }).onComplete(ar -> {
                if (statsWriter != null) {
                    statsWriter.close(); // the last second of statistics
                }
                if (db != null) {
                    db.close(); // finishes queued writes, checkpoints the WAL
                }
                p.complete();
            });
        })));
    }

    /** Blocks the calling (non-event-loop) thread until stopped or the timeout passes. */
    public void stopAndWait(long timeoutMs) {
        try {
            stop().toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("shutdown did not finish cleanly: {}", e.toString());
        }
    }
}
