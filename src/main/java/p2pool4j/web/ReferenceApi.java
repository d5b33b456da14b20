package p2pool4j.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import p2pool4j.stats.LiveStats;
import p2pool4j.stats.StatsQueries;

/**
 * The reference P2Pool's endpoints with its JSON shapes (miner spec section 5), so existing
 * front-ends, scanners and monitoring scripts work against this node. Amounts are in coins,
 * rates in H/s, hashes in display hex. Graph streams that this node does not record answer 404.
 */
final class ReferenceApi {
    /** The reference's graph views: bin width and count. */
    private static final Map<String, long[]> VIEWS = Map.of("last_hour", new long[] {24_000, 150}, "last_day", new long[] {288_000, 300},
            "last_week", new long[] {2_016_000, 300}, "last_month", new long[] {8_640_000, 300}, "last_year", new long[] {105_192_000, 300});

    private final LiveStats live;
    private final StatsQueries queries;
    private final NodeView node;
    private final String currency;
    private final GaugeHistory gauges;

    /** Streams sampled as gauges (averaged per bin, null when unsampled); value "" holds a scalar. */
    private static final java.util.Set<String> GAUGES = java.util.Set.of("pool_rates", "peers", "current_payout", "current_payouts",
            "memory_usage", "desired_version_rates");
    private static final java.util.Set<String> RATES = java.util.Set.of("local_hash_rate", "local_dead_hash_rate", "miner_hash_rates",
            "miner_dead_hash_rates");

    ReferenceApi(LiveStats live, StatsQueries queries, NodeView node, String network, GaugeHistory gauges) {
        this.gauges = gauges;
        this.live = live;
        this.queries = queries;
        this.node = node;
        this.currency = network;
    }

    void mount(Router r) {
        r.route().pathRegex("/(rate|difficulty|users|user_stales|fee|current_payouts|global_stats|local_stats|peer_addresses|peer_versions"
                + "|payout_addr|payout_addrs|recent_blocks|uptime|stale_rates|web/.*)").handler(ctx -> {
                    ctx.response().putHeader("Access-Control-Allow-Origin", "*");
                    ctx.next();
                });
        r.get("/rate").handler(ctx -> Replies.later(ctx, node.status(), s -> pool(s).getDouble("hashrate", 0.0)));
        r.get("/difficulty").handler(ctx -> Replies.later(ctx, node.status(), s -> pool(s).getDouble("min_difficulty", 0.0)));
        r.get("/users").handler(ctx -> Replies.later(ctx, node.status(), s -> s.getJsonObject("users")));
        r.get("/user_stales").handler(ctx -> Replies.json(ctx, new JsonObject())); // stale_info is per share, not kept per address here
        r.get("/fee").handler(ctx -> Replies.later(ctx, node.status(), s -> s.getDouble("fee")));
        r.get("/uptime").handler(ctx -> Replies.later(ctx, node.status(), s -> s.getLong("uptime_s").doubleValue()));
        r.get("/payout_addr").handler(ctx -> Replies.later(ctx, node.status(), s -> s.getString("payout_address")));
        r.get("/payout_addrs").handler(ctx -> Replies.later(ctx, node.status(), s -> s.getString("payout_address") == null ? new JsonArray()
                : new JsonArray().add(s.getString("payout_address"))));
        r.get("/current_payouts").handler(ctx -> Replies.later(ctx, node.status(), s -> {
            JsonObject out = new JsonObject();
            for (Object o : s.getJsonArray("payouts")) {
                JsonObject p = (JsonObject) o;
                out.put(p.getString("address"), p.getLong("amount_sat") / 1e8);
            }
            return out;
        }));
        r.get("/global_stats").handler(ctx -> Replies.later(ctx, node.status(), s -> {
            if (s.getJsonObject("sharechain").getInteger("height") < 10) {
                return null;
            }
            JsonObject p = pool(s);
            return new JsonObject().put("pool_nonstale_hash_rate", p.getDouble("hour_nonstale_hashrate"))
                    .put("pool_hash_rate", p.getDouble("hour_hashrate")).put("pool_stale_prop", p.getDouble("hour_stale_prop"))
                    .put("min_difficulty", p.getDouble("min_difficulty")).put("network_block_difficulty", p.getDouble("network_difficulty", 0.0))
                    .put("network_hashrate", p.getDouble("network_hashrate", 0.0));
        }));
        r.get("/local_stats").handler(ctx -> Replies.later(ctx, node.status(), this::localStats));
        r.get("/peer_addresses").handler(ctx -> Replies.later(ctx, node.peers(), peers -> {
            StringBuilder sb = new StringBuilder();
            for (Object o : peers) {
                JsonObject p = (JsonObject) o;
                sb.append(sb.length() == 0 ? "" : " ").append(p.getString("address")).append(':').append(p.getInteger("port"));
            }
            return sb.toString();
        }));
        r.get("/peer_versions").handler(ctx -> Replies.later(ctx, node.peers(), peers -> {
            JsonObject out = new JsonObject();
            for (Object o : peers) {
                JsonObject p = (JsonObject) o;
                out.put(p.getString("address") + ":" + p.getInteger("port"), p.getString("sub_version"));
            }
            return out;
        }));
        r.get("/stale_rates").handler(ctx -> Replies.later(ctx, node.status(), s -> {
            JsonObject p = pool(s);
            double rate = p.getDouble("hashrate", 0.0);
            return new JsonObject().put("good", rate).put("orphan", rate * p.getDouble("orphan_prop", 0.0))
                    .put("doa", rate * p.getDouble("doa_prop", 0.0));
        }));
        r.get("/recent_blocks").handler(ctx -> Replies.later(ctx, node.status(), s -> s.getJsonArray("recent_blocks")));
        // /web/... share explorer and misc.
        r.get("/web/version").handler(ctx -> Replies.later(ctx, node.status(), s -> s.getString("version")));
        r.get("/web/currency_info").handler(ctx -> Replies.json(ctx, currencyInfo()));
        r.get("/web/best_share_hash").handler(ctx -> Replies.later(ctx, node.chain(), c -> c.getString("best")));
        for (String list : new String[] {"heads", "verified_heads", "tails", "verified_tails", "my_share_hashes"}) {
            r.get("/web/" + list).handler(ctx -> Replies.later(ctx, node.chain(), c -> c.getJsonArray(list)));
        }
        r.get("/web/my_share_hashes50").handler(ctx -> Replies.later(ctx, node.chain(), c -> {
            JsonArray all = c.getJsonArray("my_share_hashes");
            return new JsonArray(all.getList().subList(0, Math.min(50, all.size())));
        }));
        r.get("/web/share/:hash").handler(ctx -> Replies.later(ctx, node.share(ctx.pathParam("hash")), s -> s));
        r.get("/web/payout_address/:hash").handler(ctx -> Replies.later(ctx, node.share(ctx.pathParam("hash")),
                s -> s == null ? null : s.getJsonObject("share_data").getString("payout_address")));
        r.get("/web/share_data/:hash").handler(ctx -> node.shareData(ctx.pathParam("hash")).onComplete(ar -> {
            if (ar.failed() || ar.result() == null) {
                Replies.error(ctx, 404, "unknown share");
            } else {
                ctx.response().putHeader("Content-Type", "application/octet-stream").end(ar.result());
            }
        }));
        r.get("/web/graph_data/:stream/:view").handler(this::graphData);
        r.get("/web/log").handler(this::log);
    }

    private static JsonObject pool(JsonObject status) {
        return status.getJsonObject("pool", new JsonObject());
    }

    private JsonObject currencyInfo() {
        String prefix = switch (currency) {
            case "bitcoin" -> "https://mempool.space/";
            case "testnet" -> "https://mempool.space/testnet/";
            default -> "";
        };
        return new JsonObject().put("symbol", currency.equals("bitcoin") ? "BTC" : currency.equals("testnet") ? "tBTC" : "rBTC")
                .put("block_explorer_url_prefix", prefix.isEmpty() ? "" : prefix + "block/")
                .put("address_explorer_url_prefix", prefix.isEmpty() ? "" : prefix + "address/")
                .put("tx_explorer_url_prefix", prefix.isEmpty() ? "" : prefix + "tx/");
    }

    /** The reference's /local_stats from the node status and the live per-worker figures. */
    private JsonObject localStats(JsonObject s) {
        JsonObject rates = new JsonObject();
        JsonObject dead = new JsonObject();
        JsonObject lastDiff = new JsonObject();
        double total = 0;
        double deadTotal = 0;
        for (LiveStats.WorkerSnapshot w : live.workers()) {
            rates.put(w.worker(), w.hashrate());
            dead.put(w.worker(), w.deadHashrate());
            total += w.hashrate();
            deadTotal += w.deadHashrate();
            if (!w.address().isEmpty() && w.shareDifficulty() > 0) {
                // As the reference: by payout address, the sharechain difficulty of the last work (front-ends divide by min_difficulty).
                lastDiff.put(w.address(), w.shareDifficulty());
            }
        }
        JsonObject shares = s.getJsonObject("local_shares", new JsonObject());
        int n = shares.getInteger("total", 0);
        int orphan = shares.getInteger("orphan", 0);
        int doa = shares.getInteger("dead", 0);
        JsonObject p = pool(s);
        double poolStale = p.getDouble("stale_prop", 0.0);
        JsonObject peers = s.getJsonObject("peers", new JsonObject());
        return new JsonObject()
                .put("my_hash_rates_in_last_hour", new JsonObject().put("note", "DEPRECATED").put("nonstale", total - deadTotal)
                        .put("rewarded", total - deadTotal).put("actual", total))
                .put("my_share_counts_in_last_hour", new JsonObject().put("shares", n).put("unstale_shares", n - orphan - doa)
                        .put("stale_shares", orphan + doa).put("orphan_stale_shares", orphan).put("doa_stale_shares", doa))
                .put("my_stale_proportions_in_last_hour", new JsonObject().put("stale", n == 0 ? null : (double) (orphan + doa) / n)
                        .put("orphan_stale", n == 0 ? null : (double) orphan / n).put("dead_stale", n == 0 ? null : (double) doa / n))
                .put("miner_hash_rates", rates).put("miner_dead_hash_rates", dead).put("miner_last_difficulties", lastDiff)
                .put("efficiency_if_miner_perfect", n == 0 ? null : (1 - (double) orphan / n) / (1 - poolStale))
                .put("efficiency", n == 0 ? null : (1 - (double) (orphan + doa) / n) / (1 - poolStale))
                .put("peers", new JsonObject().put("incoming", peers.getInteger("incoming", 0)).put("outgoing", peers.getInteger("outgoing", 0)))
                .put("shares", new JsonObject().put("total", n).put("orphan", orphan).put("dead", doa))
                .put("uptime", s.getLong("uptime_s", 0L).doubleValue())
                .put("attempts_to_share", p.getDouble("attempts_to_share", 0.0)).put("attempts_to_block", p.getDouble("attempts_to_block", 0.0))
                .put("block_value", p.getLong("block_value_sat", 0L) / 1e8).put("warnings", s.getJsonArray("warnings", new JsonArray()))
                .put("donation_proportion", s.getDouble("donation_percent", 0.0) / 100).put("version", s.getString("version"))
                .put("protocol_version", s.getInteger("protocol_version")).put("fee", s.getDouble("fee", 0.0));
    }

    /**
     * /web/graph_data/STREAM/VIEW: [[center_time, value, width, default], ...], oldest first. Rate
     * streams come from the stored work (node-wide or per worker); gauge streams from the samples
     * taken every 5 s since the node started.
     */
    private void graphData(RoutingContext ctx) {
        String stream = ctx.pathParam("stream");
        long[] view = VIEWS.get(ctx.pathParam("view"));
        if (view == null) {
            Replies.error(ctx, 404, "unknown view; one of " + String.join(", ", new java.util.TreeSet<>(VIEWS.keySet())));
            return;
        }
        if (!GAUGES.contains(stream) && !RATES.contains(stream)) {
            java.util.Set<String> all = new java.util.TreeSet<>(GAUGES);
            all.addAll(RATES);
            Replies.error(ctx, 404, "stream not recorded by p2pool4j; recorded: " + String.join(", ", all));
            return;
        }
        long width = view[0];
        int bins = (int) view[1];
        long now = System.currentTimeMillis();
        long to = (now / width + 1) * width;
        if (GAUGES.contains(stream)) {
            Map<String, Double>[] values = gauges == null ? new Map[bins] : gauges.bins(stream, to, width, bins);
            JsonArray a = new JsonArray();
            for (int i = 0; i < bins; i++) {
                long start = to - (bins - i) * width;
                Object v = values[i] == null ? null : values[i].containsKey("") ? values[i].get("") : new JsonObject(new java.util.TreeMap<>(values[i]));
                a.add(new JsonArray().add((start + width / 2) / 1000.0).add(v).add(width / 1000.0).addNull());
            }
            Replies.json(ctx, a);
            return;
        }
        boolean dead = stream.contains("dead");
        if (stream.startsWith("local_")) {
            Replies.later(ctx, Replies.db(ctx, () -> queries.history(null, to, width, bins, now)), points -> {
                JsonArray a = new JsonArray();
                for (StatsQueries.Point p : points) {
                    a.add(new JsonArray().add((p.startMs() + width / 2) / 1000.0).add(rate(p, dead)).add(width / 1000.0).add(0));
                }
                return a;
            });
            return;
        }
        Replies.later(ctx, Replies.db(ctx, () -> queries.historyPerWorker(to, width, bins, now, GaugeHistory.MAX_KEYS)), perWorker -> {
            JsonArray a = new JsonArray();
            for (int i = 0; i < bins; i++) {
                JsonObject v = new JsonObject();
                for (Map.Entry<String, java.util.List<StatsQueries.Point>> e : perWorker.entrySet()) {
                    double r = rate(e.getValue().get(i), dead);
                    if (r > 0) {
                        v.put(e.getKey(), r);
                    }
                }
                long start = to - (bins - i) * width;
                a.add(new JsonArray().add((start + width / 2) / 1000.0).add(v).add(width / 1000.0).add(new JsonObject()));
            }
            return a;
        });
    }

    /** A bin's rate; DOA work is not stored apart, so dead work is the bin's work times its DOA fraction. */
    private static double rate(StatsQueries.Point p, boolean dead) {
        if (!dead) {
            return p.hashrate();
        }
        return p.accepted() == 0 ? 0 : p.hashrate() * p.doa() / p.accepted();
    }

    /** One entry per 5 minutes over 24 h: local figures from the database, pool figures from the gauge samples. */
    private void log(RoutingContext ctx) {
        long width = 300_000;
        int bins = 288;
        long to = (System.currentTimeMillis() / width + 1) * width;
        Map<String, Double>[] pool = gauges == null ? new Map[bins] : gauges.bins("pool_rates", to, width, bins);
        Map<String, Double>[] peers = gauges == null ? new Map[bins] : gauges.bins("peers", to, width, bins);
        Map<String, Double>[] payout = gauges == null ? new Map[bins] : gauges.bins("current_payout", to, width, bins);
        Replies.later(ctx, Replies.db(ctx, () -> queries.history(null, to, width, bins, System.currentTimeMillis())), points -> {
            JsonArray a = new JsonArray();
            for (int i = 0; i < bins; i++) {
                StatsQueries.Point p = points.get(i);
                Map<String, Double> r = pool[i];
                Double good = r == null ? null : r.get("good");
                a.add(new JsonObject().put("time", p.startMs() / 1000.0).put("pool_hash_rate", good)
                        .put("pool_stale_prop", good == null || good == 0 ? null : (r.getOrDefault("orphan", 0.0) + r.getOrDefault("doa", 0.0)) / good)
                        .put("local_hash_rates", new JsonObject().put("all", p.hashrate()))
                        .put("local_dead_hash_rates", new JsonObject().put("all", rate(p, true)))
                        .put("shares", p.shares()).putNull("stale_shares").putNull("stale_shares_breakdown")
                        .put("current_payout", payout[i] == null ? null : payout[i].get(""))
                        .put("peers", peers[i] == null ? null : new JsonObject().put("incoming", peers[i].get("incoming"))
                                .put("outgoing", peers[i].get("outgoing")))
                        .putNull("attempts_to_share").putNull("attempts_to_block").putNull("block_value"));
            }
            return a;
        });
    }
}
