package p2pool4j.app;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Targets;
import p2pool4j.bitcoind.BitcoindMonitor;
import p2pool4j.bitcoind.Template;
import p2pool4j.p2p.BanList;
import p2pool4j.p2p.PeerInfo;
import p2pool4j.p2p.PeerManager;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.ShareData;
import p2pool4j.sharechain.Tracker;
import p2pool4j.web.NodeView;
import p2pool4j.work.ChainStats;
import p2pool4j.work.Node;

/**
 * The node as the web layer sees it: snapshots built on the node's context, where the tracker,
 * template and peer list live. The pool figures follow the reference's web endpoints so the
 * /rate, /users, /global_stats... answers mean what existing front-ends expect.
 */
final class NodeWebView implements NodeView {
    /** Shares behind /rate and /users (the reference's 720). */
    static final int RATE_LOOKBEHIND = 720;

    private final Config config;
    private final Node node;
    private final PeerManager peers;
    private final BitcoindMonitor monitor;
    private final java.util.function.Supplier<p2pool4j.bitcoin.Address> payout;
    private final long startedMillis = System.currentTimeMillis();

    private final java.util.function.Supplier<p2pool4j.stats.Database.Health> storage;
    private final java.util.function.Supplier<JsonObject> workerTls;

    NodeWebView(Config config, Node node, PeerManager peers, BitcoindMonitor monitor,
            java.util.function.Supplier<p2pool4j.bitcoin.Address> payout, java.util.function.Supplier<p2pool4j.stats.Database.Health> storage,
            java.util.function.Supplier<JsonObject> workerTls) {
        this.storage = storage;
        this.workerTls = workerTls;
        this.config = config;
        this.node = node;
        this.peers = peers;
        this.monitor = monitor;
        this.payout = payout;
    }

    /** What bitcoind says of a block a share in the chain claims to be, and when it said it. */
    private record Checked(String status, long atMs) {}

    private final java.util.Map<Sha256Hash, Checked> blockStatus = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<Sha256Hash> asking = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private java.util.function.Function<Sha256Hash, Future<Integer>> confirmations = h -> Future.failedFuture("no bitcoind");

    /** bitcoind's getblockheader confirmations for a block (-1: not on its main chain); set once at start. */
    void confirmations(java.util.function.Function<Sha256Hash, Future<Integer>> source) {
        this.confirmations = source;
    }

    /**
     * "in_chain" (bitcoind has it on its main chain), "stale" (it has it, off its main chain: a
     * share that met the block target on a parent that lost, e.g. dead on arrival), "unknown"
     * (bitcoind never saw it) or "checking"; asked asynchronously, at most 8 at a time, again after
     * five minutes (a reorganization can change it). Any thread.
     */
    private String blockStatus(Sha256Hash block) {
        Checked c = blockStatus.get(block);
        long now = System.currentTimeMillis();
        if ((c == null || now - c.atMs() > 300_000) && asking.size() < 8 && asking.add(block)) {
            if (blockStatus.size() > 2_000) {
                blockStatus.clear();
            }
            Future<Integer> f;
            try {
                f = confirmations.apply(block);
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            f.onComplete(ar -> {
                asking.remove(block);
                blockStatus.put(block, new Checked(ar.succeeded() ? (ar.result() >= 0 ? "in_chain" : "stale") : "unknown",
                        System.currentTimeMillis()));
            });
        }
        return c == null ? "checking" : c.status();
    }

    private java.util.function.Function<String, Future<java.util.List<p2pool4j.stratum.SessionInfo>>> sessions =
            w -> Future.succeededFuture(java.util.List.of());

    /** Where a worker's live sessions come from (the worker ports); set once at start. */
    void sessions(java.util.function.Function<String, Future<java.util.List<p2pool4j.stratum.SessionInfo>>> source) {
        this.sessions = source;
    }

    @Override
    public Future<JsonArray> sessions(String worker) {
        return sessions.apply(worker).map(list -> {
            JsonArray out = new JsonArray();
            for (p2pool4j.stratum.SessionInfo s : list) {
                out.add(new JsonObject().put("ip", s.ip()).put("user_agent", s.userAgent()).put("connected_ms", s.connectedMillis())
                        .put("difficulty", s.difficulty()).put("last_submit_ms", s.lastSubmitMillis()).put("accepted", s.accepted())
                        .put("rejected", s.rejected()).put("tls", s.tls()));
            }
            return out;
        });
    }

    /** A query on the node's context; its answer arrives on the caller's (the web verticle's). */
    private <T> Future<T> onNode(java.util.function.Function<p2pool4j.work.Node.State, T> query) {
        return node.read(query);
    }

    private Future<JsonObject> lastStatus;
    private long lastStatusNanos;

    /** Built at most once a second: pages, scanners and the reference endpoints all read it, and a flood must not busy the node. */
    @Override
    public synchronized Future<JsonObject> status() {
        long now = System.nanoTime();
        if (lastStatus == null || lastStatus.failed() || now - lastStatusNanos > 1_000_000_000L) {
            lastStatus = onNode(this::statusNow);
            lastStatusNanos = now;
        }
        return lastStatus.map(JsonObject::copy); // callers add to it
    }

    private JsonObject statusNow(p2pool4j.work.Node.State st) {
        var bitcoind = monitor.state();
        Tracker t = st.tracker();
        Sha256Hash best = st.best();
        Share bestShare = best == null ? null : t.share(best);
        Template tpl = st.template();
        P2poolNetwork net = config.net();
        int height = best == null ? 0 : t.height(best);
        p2pool4j.bitcoin.Address addr = payout.get();
        JsonObject status = new JsonObject()
                .put("network", net.cliName())
                .put("version", Cli.VERSION)
                .put("protocol_version", P2poolNetwork.PROTOCOL_VERSION)
                .put("uptime_s", (System.currentTimeMillis() - startedMillis) / 1000)
                .put("payout_address", addr == null ? null : addr.text())
                .put("fee", config.feePercent())
                .put("donation_percent", config.giveAuthorPercent())
                .put("worker_tls", workerTls.get())
                .put("bitcoind", new JsonObject().put("rpc_connected", bitcoind.rpcConnected()).put("p2p_connected", bitcoind.p2pConnected())
                        .put("height", bitcoind.height()).put("best_block", bitcoind.bestBlockHash()).put("subversion", bitcoind.subversion())
                        .put("last_error", bitcoind.lastError()))
                .put("sharechain", new JsonObject().put("shares", t.size()).put("best_share", best == null ? null : best.toDisplayHex())
                        .put("height", height).put("verified_height", best == null ? 0 : t.verifiedHeight(best))
                        .put("heads", t.heads().size()).put("minimum_protocol_version", t.minimumProtocolVersion()));
        // Whether miners get work now, and if not why (the same words they are sent), with the download's progress.
        String notReady = node.snapshot().notReady();
        status.put("work", new JsonObject().put("ready", notReady == null).put("reason", notReady)
                .put("shares_known", t.size()).put("chain_length", net.chainLength()));
        // Pool rates: the reference's /rate (720 shares) and /global_stats (one hour of shares).
        int rateLookbehind = Math.min(height - 1, RATE_LOOKBEHIND);
        int hourLookbehind = Math.min(height - 1, 3600 / P2poolNetwork.SHARE_PERIOD);
        double nonstale = ChainStats.attemptsPerSecond(t, best, rateLookbehind);
        double[] staleKinds = ChainStats.staleBreakdown(t, best, rateLookbehind);
        double stale = staleKinds[0] + staleKinds[1];
        double hourNonstale = ChainStats.attemptsPerSecond(t, best, hourLookbehind);
        double hourStale = ChainStats.staleProportion(t, best, hourLookbehind);
        JsonObject pool = new JsonObject().put("hashrate", nonstale / (1 - stale)).put("nonstale_hashrate", nonstale).put("stale_prop", stale)
                .put("orphan_prop", staleKinds[0]).put("doa_prop", staleKinds[1])
                .put("lookbehind", Math.max(0, rateLookbehind))
                .put("hour_hashrate", hourNonstale / (1 - hourStale)).put("hour_nonstale_hashrate", hourNonstale)
                .put("hour_stale_prop", hourStale);
        if (bestShare != null) {
            pool.put("min_difficulty", Targets.difficulty(bestShare.maxTarget()))
                    .put("share_difficulty", Targets.difficulty(bestShare.target()))
                    .put("attempts_to_share", Targets.attempts(bestShare.maxTarget()).doubleValue());
        } else {
            pool.put("min_difficulty", Targets.difficulty(net.maxTarget())).put("share_difficulty", Targets.difficulty(net.maxTarget()))
                    .put("attempts_to_share", Targets.attempts(net.maxTarget()).doubleValue());
        }
        if (tpl != null) {
            double diff = Targets.difficulty(tpl.target());
            pool.put("network_difficulty", diff).put("network_hashrate", diff * 4294967296.0 / 600.0 /* Bitcoin block period */)
                    .put("block_value_sat", tpl.coinbaseValue()).put("attempts_to_block", Targets.attempts(tpl.target()).doubleValue())
                    .put("block_height", tpl.height());
        }
        status.put("pool", pool);
        // What a block found now would pay (the reference's /current_payouts), node addresses marked.
        JsonArray payouts = new JsonArray();
        String donationKey = p2pool4j.sharechain.PayoutScripts.keyOfPubkeyHash(p2pool4j.sharechain.Gentx.DONATION_PUBKEY_HASH, net.chain());
        if (tpl != null) {
            Map<String, Long> amounts = ChainStats.expectedPayouts(net, t, best, tpl.target(), tpl.coinbaseValue());
            amounts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> payouts.add(
                    new JsonObject().put("address", e.getKey()).put("amount_sat", e.getValue())
                            .put("fraction", tpl.coinbaseValue() == 0 ? 0 : (double) e.getValue() / tpl.coinbaseValue())
                            .put("node", addr != null && e.getKey().equals(addr.text()))
                            .put("donation", e.getKey().equals(donationKey))));
        }
        status.put("payouts", payouts);
        JsonObject users = new JsonObject();
        ChainStats.userFractions(t, best, Math.min(height, RATE_LOOKBEHIND)).forEach(users::put);
        status.put("users", users);
        JsonArray recent = new JsonArray();
        for (ChainStats.RecentBlock b : ChainStats.recentBlocks(t, best, Math.min(height, net.chainLength()))) {
            recent.add(new JsonObject().put("ts", b.timestamp()).put("hash", b.blockHash().toDisplayHex()).put("number", b.height())
                    .put("share", b.shareHash().toDisplayHex()).put("bitcoind", blockStatus(b.blockHash())));
        }
        status.put("recent_blocks", recent);
        int in = incomingPeers();
        status.put("peers", new JsonObject().put("incoming", in).put("outgoing", peers.peers().size() - in));
        var counts = st.localShares().counts(t, best);
        status.put("local_shares", new JsonObject().put("total", counts.total()).put("orphan", counts.orphan()).put("dead", counts.dead()));
        JsonArray warnings = new JsonArray();
        if (!bitcoind.rpcConnected()) {
            warnings.add("bitcoind RPC is not connected" + (bitcoind.lastError() == null ? "" : ": " + bitcoind.lastError()));
        }
        if (notReady != null) {
            warnings.add("miners get no work: " + notReady + (notReady.contains("downloading")
                    ? " (" + t.size() + " of " + net.chainLength() + " shares known)" : ""));
        } else if (net.persist() && peers.peers().isEmpty()) {
            warnings.add("not connected to any P2Pool peer");
        }
        if (addr == null) {
            warnings.add("no payout address yet");
        }
        p2pool4j.stats.Database.Health h = storage.get();
        if (!h.writable()) {
            warnings.add("database writes failing since " + java.time.Instant.ofEpochMilli(h.failingSinceMs()).toString().replaceFirst("\\.\\d+Z$", "Z")
                    + " (" + h.problem() + "): disk full? Mining goes on; stats and shares wait in memory and are written when it recovers");
        }
        status.put("warnings", warnings);
        return status;
    }

    @Override
    public Future<JsonArray> peers() {
        return onNode(st -> {
            JsonArray list = new JsonArray();
            for (PeerInfo pi : peers.peers()) {
                list.add(new JsonObject().put("address", pi.address()).put("port", pi.port()).put("incoming", pi.incoming())
                        .put("version", pi.version()).put("sub_version", pi.subVersion()).put("connected_since_ms", pi.connectedSince())
                        .put("shares_received", pi.sharesReceived()).put("shares_sent", pi.sharesSent())
                        .put("bytes_received", pi.bytesReceived()).put("bytes_sent", pi.bytesSent()));
            }
            return list;
        });
    }

    @Override
    public Future<JsonArray> bans() {
        return onNode(st -> {
            JsonArray list = new JsonArray();
            for (BanList.Ban b : peers.bans()) {
                list.add(new JsonObject().put("ip", b.ip()).put("score", b.score()).put("until_s", b.until()).put("reason", b.reason()));
            }
            return list;
        });
    }

    @Override
    public Future<JsonObject> chain() {
        return onNode(st -> {
            Tracker t = st.tracker();
            JsonArray heads = new JsonArray();
            JsonArray verifiedHeads = new JsonArray();
            for (Sha256Hash h : t.heads()) {
                heads.add(h.toDisplayHex());
                if (t.isVerified(h)) {
                    verifiedHeads.add(h.toDisplayHex());
                }
            }
            JsonArray tails = new JsonArray();
            JsonArray verifiedTails = new JsonArray();
            for (Sha256Hash h : ChainStats.tails(t)) {
                tails.add(h.toDisplayHex());
                if (t.isVerified(h)) {
                    verifiedTails.add(h.toDisplayHex());
                }
            }
            JsonArray mine = new JsonArray();
            st.localShares().all().forEach(l -> mine.add(l.hash().toDisplayHex()));
            Sha256Hash best = st.best();
            return new JsonObject().put("best", best == null ? null : best.toDisplayHex()).put("heads", heads)
                    .put("verified_heads", verifiedHeads).put("tails", tails).put("verified_tails", verifiedTails)
                    .put("my_share_hashes", mine);
        });
    }

    private static Sha256Hash parse(String hex) {
        if (hex == null || !hex.matches("[0-9a-fA-F]{64}")) {
            return null;
        }
        return Sha256Hash.fromDisplayHex(hex.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public Future<JsonObject> share(String hashHex) {
        Sha256Hash h = parse(hashHex);
        if (h == null) {
            return Future.succeededFuture(null);
        }
        return onNode(st -> {
            Tracker t = st.tracker();
            Share s = t.share(h);
            if (s == null) {
                return null;
            }
            p2pool4j.sharechain.ShareContents contents = s.contents(); // parsed again from the share's bytes: once here
            ShareData d = contents.shareInfo().shareData();
            JsonArray children = new JsonArray();
            t.children(h).forEach(c -> children.add(c.toDisplayHex()));
            Object source = t.source(h);
            var hd = s.header();
            JsonArray others = new JsonArray();
            s.newTransactionHashes().forEach(x -> others.add(x.toDisplayHex()));
            Sha256Hash far = contents.shareInfo().farShareHash();
            return new JsonObject()
                    .put("parent", s.previousHash() == null ? null : s.previousHash().toDisplayHex())
                    .put("far_parent", far == null ? null : far.toDisplayHex())
                    .put("children", children)
                    .put("type_name", "Share v" + s.version())
                    .put("local", new JsonObject().put("verified", t.isVerified(h)).put("time_first_seen", t.timeSeen(h))
                            .put("peer_first_received_from", source == null || "local".equals(source) ? null : String.valueOf(source)))
                    .put("share_data", new JsonObject().put("timestamp", s.timestamp()).put("target", (double) Targets.difficulty(s.target()))
                            .put("max_target", Targets.difficulty(s.maxTarget())).put("payout_address", s.payoutKey())
                            .put("donation", d.donation() / 65535.0)
                            .put("stale_info", d.staleInfo() == 0 ? null : d.staleInfo() == 253 ? "orphan" : d.staleInfo() == 254 ? "doa" : "unk")
                            .put("nonce", d.nonce()).put("desired_version", d.desiredVersion()).put("absheight", s.absheight())
                            .put("abswork", s.abswork().toString()))
                    .put("block", new JsonObject().put("hash", hd.hash().toDisplayHex())
                            .put("header", new JsonObject().put("version", hd.version())
                                    .put("previous_block", hd.previousBlock().toDisplayHex()).put("merkle_root", hd.merkleRoot().toDisplayHex())
                                    .put("timestamp", hd.time()).put("target", Targets.difficulty(Targets.fromBits(hd.bits())))
                                    .put("nonce", hd.nonce()))
                            .put("gentx", new JsonObject().put("hash", s.gentxHash().toDisplayHex()).put("coinbase", Hex.encode(d.coinbase()))
                                    .put("value", d.subsidy() / 1e8).put("last_txout_nonce", contents.lastTxoutNonce()))
                            .put("other_transaction_hashes", others));
        });
    }

    @Override
    public Future<Buffer> shareData(String hashHex) {
        Sha256Hash h = parse(hashHex);
        if (h == null) {
            return Future.succeededFuture(null);
        }
        return onNode(st -> {
            Share s = st.tracker().share(h);
            return s == null ? null : Buffer.buffer(s.wrapped());
        });
    }

    /** What one 5-second sample of the node found, for the Prometheus gauges. */
    record Sample(int peersIncoming, int peersOutgoing, int height, int shares, double nonstaleHashrate) {}

    /**
     * Samples the reference's gauge streams (pool_rates, peers, current_payout(s),
     * desired_version_rates, memory_usage) on the node's context, and answers what the metrics
     * need from the same reading.
     */
    Future<Sample> sample(p2pool4j.web.GaugeHistory g, java.util.Set<String> localAddresses) {
        return onNode(st -> {
            long now = System.currentTimeMillis();
            Tracker t = st.tracker();
            Sha256Hash best = st.best();
            int height = best == null ? 0 : t.height(best);
            int lookbehind = Math.min(height - 1, RATE_LOOKBEHIND);
            double nonstale = ChainStats.attemptsPerSecond(t, best, lookbehind);
            double[] kinds = ChainStats.staleBreakdown(t, best, lookbehind);
            double all = nonstale / (1 - kinds[0] - kinds[1]);
            g.record("pool_rates", now, Map.of("good", all, "orphan", all * kinds[0], "doa", all * kinds[1]));
            Map<String, Double> versions = new java.util.HashMap<>();
            ChainStats.desiredVersionFractions(t, best, Math.max(0, lookbehind)).forEach((ver, f) -> versions.put(String.valueOf(ver), f * all));
            g.record("desired_version_rates", now, versions);
            int in = incomingPeers();
            int out = peers.peers().size() - in;
            g.record("peers", now, Map.of("incoming", (double) in, "outgoing", (double) out));
            Template tpl = st.template();
            p2pool4j.bitcoin.Address addr = payout.get();
            if (tpl != null) {
                Map<String, Long> amounts = ChainStats.expectedPayouts(config.net(), t, best, tpl.target(), tpl.coinbaseValue());
                if (addr != null) {
                    g.record("current_payout", now, Map.of("", amounts.getOrDefault(addr.text(), 0L) / 1e8));
                }
                Map<String, Double> local = new java.util.HashMap<>();
                amounts.forEach((k, a) -> {
                    if (localAddresses.contains(k)) {
                        local.put(k, a / 1e8);
                    }
                });
                g.record("current_payouts", now, local);
            }
            Runtime rt = Runtime.getRuntime();
            g.record("memory_usage", now, Map.of("", (double) (rt.totalMemory() - rt.freeMemory())));
            return new Sample(in, out, height, t.size(), nonstale);
        });
    }

    private int incomingPeers() {
        int in = 0;
        for (PeerInfo pi : peers.peers()) {
            in += pi.incoming() ? 1 : 0;
        }
        return in;
    }

    /** Our shares whose status changed, for the stats writer. */
    Future<java.util.List<p2pool4j.work.LocalShares.Change>> shareStatuses() {
        return onNode(st -> st.localShares().statusChanges(st.tracker(), st.best(), System.currentTimeMillis(), 120_000));
    }

}
