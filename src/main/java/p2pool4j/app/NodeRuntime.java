package p2pool4j.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoind.BitcoindMonitor;
import p2pool4j.bitcoind.BitcoindVerticle;
import p2pool4j.bitcoind.BlockSubmitter;
import p2pool4j.bitcoind.CredentialSource;
import p2pool4j.bitcoind.RpcClient;
import p2pool4j.bitcoind.Template;
import p2pool4j.p2p.AddressBook;
import p2pool4j.p2p.PeerManager;
import p2pool4j.stats.AddressStore;
import p2pool4j.stats.Database;
import p2pool4j.stats.ShareStore;
import p2pool4j.stats.LiveStats;
import p2pool4j.stratum.WorkerPort;
import p2pool4j.web.WebServer;
import p2pool4j.web.WebVerticle;
import p2pool4j.work.Node;
import p2pool4j.work.NodeVerticle;
import p2pool4j.work.Submissions;

/**
 * Wires the verticles together and owns their lifecycle: start order, one log line per
 * subsystem, and graceful shutdown. The layout (architecture.md, "Threading"): one node verticle
 * (tracker, template, jobs), one bitcoind verticle, one p2p verticle, one web verticle, and the
 * worker port on every core; SQLite on its own thread. They share only immutable snapshots and
 * thread-safe sinks (stats, metrics).
 */
public final class NodeRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);

    private final Config config;
    private final Vertx vertx;
    private final BitcoindMonitor monitor = new BitcoindMonitor();
    private RpcClient rpc;
    private BitcoindVerticle bitcoind;
    private Database db;
    private volatile Node node;
    private volatile PeerManager peers;
    private Submissions submissions;
    private WorkerPort workers;
    private final LiveStats liveStats = new LiveStats();
    private WebVerticle web;
    private NodeWebView webView;
    private final p2pool4j.web.GaugeHistory gauges = new p2pool4j.web.GaugeHistory();
    private final p2pool4j.stats.Metrics metrics;
    private p2pool4j.stats.StatsWriter statsWriter;
    private AddressStore addresses;
    private volatile Address payout;
    private volatile Template lastTemplate;
    private final java.util.List<String> deployments = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<Long> timers = new java.util.concurrent.CopyOnWriteArrayList<>();

    public NodeRuntime(Config config) {
        this.config = config;
        // Native epoll where its library loads, NIO otherwise (the worker port's start line says which): at 5,000 sessions it
        // cut the new-work broadcast p99 by ~13 % and the submit p99 by ~20 % (docs/architecture.md).
        this.vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
        this.metrics = new p2pool4j.stats.Metrics(config.metricsPerWorker());
    }

    private <V extends io.vertx.core.VerticleBase> Future<V> deploy(V verticle) {
        return vertx.deployVerticle(verticle).map(id -> {
            deployments.add(0, id); // undeployed in reverse order
            return verticle;
        });
    }

    public Future<Void> start() {
        try {
            db = Database.open(config.datadir());
        } catch (java.sql.SQLException e) {
            return Future.failedFuture(e);
        }
        LOG.info("database {}", db.file());
        addresses = new AddressStore(db, config.net().name());
        var creds = config.cookieAuth()
                ? CredentialSource.cookie(vertx, config.bitcoindCookie().toString())
                : CredentialSource.fixed(config.rpcUser().get(), config.rpcPassword().get());
        rpc = new RpcClient(vertx, config.bitcoindAddress(), config.bitcoindRpcPort(), creds);
        LOG.info("network {}; bitcoind RPC {}:{} ({}), P2P {}:{}", config.net().cliName(), config.bitcoindAddress(),
                config.bitcoindRpcPort(), config.cookieAuth() ? "cookie " + config.bitcoindCookie() : "user " + config.rpcUser().get(),
                config.bitcoindAddress(), config.bitcoindP2pPort());
        PayoutAddress.resolve(vertx, config, rpc).onSuccess(a -> {
            payout = a;
            LOG.info("payout address for miners without one: {}", a);
            whenNode(n -> n.configureWork(a, config.feePercent(), config.giveAuthorPercent(), this::notReadyReason));
        }).onFailure(err -> {
            LOG.error("{}", err.getMessage());
            if (err instanceof PayoutAddress.NoWalletException) {
                stop().onComplete(v -> Main.exit(2));
            }
        });
        return deploy(new NodeVerticle(config.net(), new ShareStore(db, config.net().name())))
                .compose(nv -> {
                    node = nv.node();
                    // Fork scoring needs the heights of the blocks shares build on (spec 12.2): bitcoind knows them.
                    node.blockHeightSource(block -> rpc.call("getblockheader", block.toDisplayHex())
                            .map(o -> o instanceof io.vertx.core.json.JsonObject h ? h.getInteger("height") : null));
                    nodeReady.complete(node);
                    return Future.fromCompletionStage(addresses.load());
                })
                .compose(rows -> {
                    java.util.List<String[]> persistent = new java.util.ArrayList<>();
                    config.p2poolNodes().forEach(hp -> persistent.add(new String[] {hp.host(), String.valueOf(hp.port())}));
                    peers = new PeerManager(NodeShareChain.of(node), new PeerManager.Settings("0.0.0.0", config.p2poolPort(),
                            persistent, config.outgoingConns(), config.maxConns(), config.lowBandwidth(),
                            "p2pool4j/" + Cli.VERSION.substring(9)));
                    java.util.List<java.util.Map.Entry<AddressBook.Key, AddressBook.Entry>> entries = new java.util.ArrayList<>();
                    rows.forEach(r -> entries.add(java.util.Map.entry(new AddressBook.Key(r.host(), r.port()),
                            new AddressBook.Entry(r.services(), r.firstSeen(), r.lastSeen()))));
                    peers.loadAddresses(entries); // before deployment: nothing else touches it yet
                    metrics.counterFamily("p2pool.peer.events", "P2Pool peer connections refused, dropped and banned by reason"
                            + " (refused_per_ip, refused_limit, bad_share:..., disconnect:..., ...)", "reason", peers::counters);
                    return deploy(peers);
                })
                .compose(pm -> deploy(new BitcoindVerticle(rpc, config.net().chain(), config.bitcoindAddress(),
                        config.bitcoindP2pPort(), monitor, t -> {
                            if (t.replaces(lastTemplate)) {
                                LOG.info("work: block {} on {} ({} transactions, {} sat)", t.height(), t.previousBlockHash(),
                                        t.transactions().size(), t.coinbaseValue());
                            }
                            lastTemplate = t;
                            node.setTemplate(t);
                        }, () -> node.snapshot().previousBlock())))
                .compose(bv -> {
                    bitcoind = bv;
                    timers.add(vertx.setPeriodic(60_000, id -> saveAddresses()));
                    submissions = new Submissions(node, bv.submitter());
                    submissions.onEvent(liveStats::accept);
                    statsWriter = new p2pool4j.stats.StatsWriter(db, config.statsRetentionDays());
                    submissions.onEvent(statsWriter::accept);
                    submissions.onEvent(metrics::accept);
                    submissions.onBlock(statsWriter::blockFound);
                    submissions.onBlock(liveStats::blockFound);
                    submissions.onBlock(metrics::blockFound);
                    workers = new WorkerPort(vertx, submissions, new WorkerPort.Settings(config.workerBind(), config.workerPort(),
                            config.maxSessionsPerIp(), config.maxSessions(), config.workerThreads(), startDifficulty(),
                            minDifficulty(), 1e12, 10, null));
                    statsWriter.connections(this::workerConnections);
                    workers.submitTimer(metrics.timer("p2pool.stratum.submit", "Time a Stratum submit spends in the node, from its line"
                            + " read to its answer written"));
                    metrics.gaugeFrom("p2pool.work.fanout", "Time the last new work took from the node to the last Stratum session written to",
                            "seconds", workers::lastFanoutSeconds);
                    metrics.counterFamily("p2pool.worker.port.events", "Worker-port refusals, drops and closes by reason"
                            + " (refused_limit, invalid_json, closed:..., not_ready, ...)", "reason", workers::counters);
                    metrics.counterFrom("p2pool.getwork.bad.requests", "HTTP requests on the worker port refused as malformed",
                            () -> workers.getwork().badRequests());
                    return workers.start();
                })
                .compose(port -> startTlsWorkerPort().map(port))
                .compose(port -> {
                    webView = new NodeWebView(config, node, peers, monitor, () -> payout, db::health,
                            () -> tlsIdentity == null ? null : new io.vertx.core.json.JsonObject().put("port", workerTlsPort())
                                    .put("fingerprint_sha256", tlsIdentity.fingerprintSha256()));
                    webView.sessions(worker -> tlsWorkers == null ? workers.sessions(worker)
                            : Future.all(workers.sessions(worker), tlsWorkers.sessions(worker)).map(both -> {
                                java.util.List<p2pool4j.stratum.SessionInfo> all = new java.util.ArrayList<>(both.<java.util.List<p2pool4j.stratum.SessionInfo>>resultAt(0));
                                all.addAll(both.<java.util.List<p2pool4j.stratum.SessionInfo>>resultAt(1));
                                return all;
                            }));
                    webView.confirmations(block -> rpc.call("getblockheader", block.toDisplayHex())
                            .map(o -> o instanceof io.vertx.core.json.JsonObject h ? h.getInteger("confirmations", -1) : -1));
                    timers.add(vertx.setPeriodic(10_000, id -> webView.shareStatuses().onSuccess(statsWriter::shareStatus)));
                    restoreGauges();
                    timers.add(vertx.setPeriodic(5_000, id -> sample()));
                    web = new WebVerticle(new WebServer.Sources(liveStats, new p2pool4j.stats.StatsQueries(db), webView,
                            config.net().cliName(), metrics::scrape, gauges), config.webBind(), config.webPort());
                    metrics.gaugeFrom("p2pool.database.writable", "1 while database writes go through, 0 while they fail (disk full, I/O error)",
                            null, () -> db.health().writable() ? 1 : 0);
                    metrics.counterFrom("p2pool.database.write.errors", "Database writes that failed for lack of space or an I/O error",
                            () -> db.health().writeErrors());
                    metrics.counterFrom("p2pool.web.bad.requests", "Web requests answered with a 4xx", web::badRequests);
                    metrics.counterFrom("p2pool.stats.events.dropped", "Submit events the stats writer had no room for",
                            statsWriter::droppedTotal);
                    return deploy(web);
                })
                .map(w -> {
                    String host = config.webBind().equals("0.0.0.0") ? "127.0.0.1" : config.webBind();
                    relayWebOnWorkerPort(host, w.actualPort());
                    LOG.info("web UI and API: http://{}:{}/ (listening on {})", host, w.actualPort(), config.webBind());
                    startAlerts();
                    return null;
                });
    }

    private AlertSender alerts;

    /** Webhook alerts (--alert-url): what to send is decided by AlertWatch from what the node publishes. */
    private void startAlerts() {
        java.util.List<Alert.Target> targets = config.alertUrls().stream().map(Alert.Target::parse).toList();
        if (targets.isEmpty()) {
            return;
        }
        alerts = new AlertSender(vertx, targets);
        metrics.counterFrom("p2pool.alerts.sent", "Alerts delivered to a webhook", alerts.sent::get);
        metrics.counterFrom("p2pool.alerts.failed", "Alerts a webhook did not take after every retry", alerts.failed::get);
        metrics.counterFrom("p2pool.alerts.suppressed", "Alerts not sent: over the hourly limit, a full queue or a flapping worker",
                alerts.suppressed::get);
        AlertWatch watch = new AlertWatch(alerts::publish, alerts.suppressed::incrementAndGet, config, liveStats, monitor::state,
                () -> peers.peers().size(), config.alertOfflineMinutes() * 60_000L);
        submissions.onBlock(watch::block);
        timers.add(vertx.setPeriodic(AlertWatch.CHECK_MS, id -> watch.check(System.currentTimeMillis())));
        watch.started();
        LOG.info("alerts to {}", targets.stream().map(Alert.Target::safeName).toList());
    }

    private final io.vertx.core.Promise<Node> nodeReady = io.vertx.core.Promise.promise();

    private void whenNode(java.util.function.Consumer<Node> action) {
        nodeReady.future().onSuccess(action::accept);
    }

    public Node node() {
        return node;
    }

    public PeerManager peers() {
        return peers;
    }

    /** The /metrics text, as the web serves it. */
    public String scrapeMetrics() {
        return metrics.scrape();
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
        int miners = (workers == null ? 0 : workers.sessionCount()) + (tlsWorkers == null ? 0 : tlsWorkers.sessionCount());
        webView.sample(gauges, localAddresses).onSuccess(s -> metrics.gauges(new p2pool4j.stats.Metrics.Gauges(s.peersIncoming(),
                s.peersOutgoing(), miners, s.height(), s.shares(), st.rpcConnected(), st.height(), s.nonstaleHashrate(), local)));
    }

    /** Why miners get no work now (null when ready). Called on the node's context; reads only published figures. */
    private String notReadyReason() {
        var st = monitor.state();
        // Called from the node's first publish, possibly before the peers' verticle exists: no peers yet, then.
        PeerManager p = peers;
        Node n = node;
        return p2pool4j.work.Readiness.notReady(st.lastTemplateMillis(), System.currentTimeMillis(), config.net().persist(),
                p == null ? 0 : p.peers().size(), n != null && n.snapshot().best() != null);
    }

    /** Pseudo-share difficulty a new session starts at: ASIC-sized on mainnet, CPU-sized on the test networks. */
    private double startDifficulty() {
        return config.net() == p2pool4j.sharechain.P2poolNetwork.MAIN ? 1024 : config.net() == p2pool4j.sharechain.P2poolNetwork.TESTNET ? 1 : 0.001;
    }

    private double minDifficulty() {
        return config.net() == p2pool4j.sharechain.P2poolNetwork.MAIN ? 1 : 1e-9;
    }

    private Future<Void> saveAddresses() {
        return peers.addresses().compose(book -> {
            java.util.List<AddressStore.Row> rows = new java.util.ArrayList<>();
            book.forEach((k, e) -> rows.add(new AddressStore.Row(k.host(), k.port(), e.services(), e.firstSeen(), e.lastSeen())));
            return Future.fromCompletionStage(addresses.save(rows));
        });
    }

    public Address payoutAddress() {
        return payout;
    }

    public BitcoindMonitor monitor() {
        return monitor;
    }

    public BlockSubmitter submitter() {
        return bitcoind == null ? null : bitcoind.submitter();
    }

    private WorkerPort tlsWorkers;
    private volatile p2pool4j.stratum.TlsIdentity tlsIdentity;

    /**
     * The second worker port, Stratum and getwork over TLS (--worker-tls-port): the same miners'
     * settings and the same submissions (so the same vardiff rules, stats and shares), its own
     * sessions and event loops. The certificate is read or made off the event loop.
     */
    private Future<Void> startTlsWorkerPort() {
        Config.WorkerTls tls = config.workerTls();
        if (!tls.on()) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> p2pool4j.stratum.TlsIdentity.resolve(tls.cert(), tls.key(), config.datadir()), false)
                .compose(id -> {
                    tlsIdentity = id;
                    tlsWorkers = new WorkerPort(vertx, submissions, workers.settings().overTls(tls.port(), id.options()));
                    metrics.counterFamily("p2pool.worker.tls.port.events", "TLS worker-port refusals, drops and closes by reason",
                            "reason", tlsWorkers::counters);
                    return tlsWorkers.start().map(p -> {
                        LOG.info("miners over TLS: stratum+ssl://{}:{} ({} certificate {}, SHA-256 fingerprint {})", config.workerBind(), p,
                                id.generated() ? "new self-signed" : tls.cert().isPresent() ? "given" : "self-signed", id.cert(),
                                id.fingerprintSha256());
                        return (Void) null;
                    });
                });
    }

    /** Live Stratum connections per worker, over both worker ports. */
    private java.util.Map<String, Integer> workerConnections() {
        if (tlsWorkers == null) {
            return workers.workerConnections();
        }
        java.util.Map<String, Integer> all = new java.util.HashMap<>(workers.workerConnections());
        tlsWorkers.workerConnections().forEach((k, v) -> all.merge(k, v, Integer::sum));
        return all;
    }

    /** The TLS worker port's certificate (null when the port is off or not started yet). */
    public p2pool4j.stratum.TlsIdentity tlsIdentity() {
        return tlsIdentity;
    }

    /** The TLS worker port's bound port, 0 when off. */
    public int workerTlsPort() {
        return tlsWorkers == null ? 0 : tlsWorkers.port();
    }

    /** The worker port's bound port (after start). */
    public int workerPort() {
        return workers == null ? 0 : workers.port();
    }

    /** True once a stop began: a start that fails then is not a start failure (the stop decides the exit code). */
    public boolean stopping() {
        return stopping;
    }

    private volatile boolean stopping;

    public Future<Void> stop() {
        stopping = true;
        LOG.info("stopping");
        timers.forEach(vertx::cancelTimer);
        Future<Void> minersTold = Future.join(workers == null ? Future.succeededFuture() : workers.stop(),
                tlsWorkers == null ? Future.succeededFuture() : tlsWorkers.stop()).mapEmpty();
        Future<Void> addressesSaved = peers == null ? Future.succeededFuture() : saveAddresses().otherwiseEmpty();
        return Future.join(minersTold, addressesSaved).<Void>mapEmpty().eventually(() -> {
            java.util.List<Future<Void>> undeployed = new java.util.ArrayList<>();
            for (String id : deployments) {
                undeployed.add(vertx.undeploy(id));
            }
            return Future.join(new java.util.ArrayList<>(undeployed));
        }).eventually(() -> {
            if (rpc != null) {
                rpc.close();
                if (alerts != null) {
                    alerts.close();
                }
            }
            return vertx.close();
        }).transform(ar -> {
            if (statsWriter != null) {
                statsWriter.close(); // the last second of statistics
            }
            metrics.close();
            if (db != null) {
                db.close(); // finishes queued writes, checkpoints the WAL
            }
            return Future.succeededFuture();
        });
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
