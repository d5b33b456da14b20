package p2pool4j.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import p2pool4j.stats.LiveStats;
import p2pool4j.stats.StatsQueries;
import p2pool4j.work.FoundBlock;

/**
 * The documented JSON API the UI is built on (docs/api.md): node status with local figures,
 * workers (live counters since start merged with the stored 24-hour sums), per-worker history
 * with confidence bands, found blocks, peers and bans.
 */
final class ApiV1 {
    /** A worker is online with a live connection, or a share within this long. */
    static final long ONLINE_MS = 10 * 60_000;
    static final int MAX_NAME = 256;

    /** History views: slot width and count. */
    enum Range {
        H1("1h", 60_000, 60), H24("24h", 15 * 60_000, 96), D7("7d", 3_600_000, 168), D30("30d", 6 * 3_600_000, 120);

        final String name;
        final long slotMs;
        final int slots;

        Range(String name, long slotMs, int slots) {
            this.name = name;
            this.slotMs = slotMs;
            this.slots = slots;
        }

        static Range of(String s) {
            for (Range r : values()) {
                if (r.name.equals(s)) {
                    return r;
                }
            }
            return null;
        }
    }

    private final LiveStats live;
    private final StatsQueries queries;
    private final NodeView node;

    ApiV1(LiveStats live, StatsQueries queries, NodeView node) {
        this.live = live;
        this.queries = queries;
        this.node = node;
    }

    void mount(Router r) {
        r.get("/api/v1/status").handler(ctx -> Replies.later(ctx, node.status(), this::withLocal));
        r.get("/api/v1/peers").handler(ctx -> Replies.later(ctx, node.peers(), p -> p));
        r.get("/api/v1/bans").handler(ctx -> Replies.later(ctx, node.bans(), b -> b));
        r.get("/api/v1/chain").handler(ctx -> Replies.later(ctx, node.chain(), c -> c));
        r.get("/api/v1/workers").handler(ctx -> Replies.later(ctx, workers(ctx), w -> w));
        r.get("/api/v1/workers/:name").handler(ctx -> {
            String name = ctx.pathParam("name");
            if (name == null || name.length() > MAX_NAME) {
                Replies.error(ctx, 400, "worker name too long");
                return;
            }
            workers(ctx).onComplete(ar -> {
                if (ar.failed()) {
                    Replies.error(ctx, 503, "not ready");
                    return;
                }
                for (Object o : ar.result()) {
                    JsonObject w = (JsonObject) o;
                    if (w.getString("worker").equals(name)) {
                        node.status().onSuccess(st -> {
                            JsonObject pool = st.getJsonObject("pool", new JsonObject());
                            double perShare = w.getDouble("share_difficulty", 0.0) > 0 ? w.getDouble("share_difficulty") * 4294967296.0
                                    : pool.getDouble("attempts_to_share", 0.0);
                            w.put("payout_odds", PayoutOdds.of(w.getDouble("hashrate"), perShare, pool.getDouble("attempts_to_block", 0.0),
                                    pool.getDouble("hashrate", 0.0), st.getJsonObject("work", new JsonObject()).getInteger("chain_length", 8640)))
                                    .put("pool_expected_time_to_block_s", pool.getDouble("hashrate", 0.0) > 0
                                            ? pool.getDouble("attempts_to_block", 0.0) / pool.getDouble("hashrate") : null);
                        }).onComplete(x -> Replies.db(ctx, () -> queries.ourShares(0, name)).onComplete(s -> {
                            if (s.succeeded()) {
                                w.put("sharechain_shares", new JsonObject(new TreeMap<String, Object>(s.result())));
                            }
                            Replies.json(ctx, w);
                        }));
                        return;
                    }
                }
                Replies.error(ctx, 404, "unknown worker");
            });
        });
        r.get("/api/v1/workers/:name/sessions").handler(ctx -> {
            String name = ctx.pathParam("name");
            if (name == null || name.length() > MAX_NAME) {
                Replies.error(ctx, 400, "worker name too long");
                return;
            }
            Replies.later(ctx, node.sessions(name), a -> a);
        });
        r.get("/api/v1/workers/:name/rejects").handler(ctx -> {
            String name = ctx.pathParam("name");
            if (name == null || name.length() > MAX_NAME) {
                Replies.error(ctx, 400, "worker name too long");
                return;
            }
            JsonArray out = new JsonArray();
            for (p2pool4j.stats.RejectLog.Reject x : live.rejects().of(name)) {
                out.add(new JsonObject().put("time_ms", x.timeMillis()).put("reason", x.reason().name().toLowerCase(Locale.ROOT))
                        .put("message", x.reason().message()).put("code", x.reason().stratumCode()).put("difficulty", x.difficulty()));
            }
            Replies.json(ctx, out);
        });
        r.get("/api/v1/workers/:name/history").handler(ctx -> {
            String name = ctx.pathParam("name");
            if (name == null || name.length() > MAX_NAME) {
                Replies.error(ctx, 400, "worker name too long");
                return;
            }
            history(ctx, name);
        });
        r.get("/api/v1/history").handler(ctx -> history(ctx, null));
        r.get("/api/v1/blocks/summary").handler(ctx -> Replies.later(ctx, Replies.db(ctx, queries::blockSummary), m -> new JsonObject(new java.util.LinkedHashMap<String, Object>(m))));
        r.get("/api/v1/blocks").handler(ctx -> {
            long limit = number(ctx.queryParams().get("limit"), 500);
            long before = number(ctx.queryParams().get("before"), Long.MAX_VALUE);
            if (limit < 1 || limit > 500 || before < 0) {
                Replies.error(ctx, 400, "limit must be 1 to 500 and before a time in ms");
                return;
            }
            blocks(ctx, (int) limit, before);
        });
    }

    /** A whole decimal number from a query parameter; -1 when it is not one, {@code absent} when missing. */
    private static long number(String v, long absent) {
        if (v == null) {
            return absent;
        }
        return v.length() <= 18 && !v.isEmpty() && v.chars().allMatch(Character::isDigit) ? Long.parseLong(v) : -1;
    }

    private void blocks(io.vertx.ext.web.RoutingContext ctx, int limit, long before) {
        Replies.later(ctx, Replies.db(ctx, () -> queries.blocks(limit, before)), list -> {
            JsonArray a = new JsonArray();
            for (FoundBlock b : list) {
                a.add(new JsonObject().put("hash", b.hash()).put("height", b.height()).put("reward_sat", b.rewardSat())
                        .put("finder", b.finder()).put("time_ms", b.timeMillis()).put("share", b.shareHash()).put("verdict", b.verdict()));
            }
            return a;
        });
    }

    /** The node's status plus what only this layer knows: local hashrate and expected times. */
    private JsonObject withLocal(JsonObject status) {
        double rate = 0;
        double dead = 0;
        int online = 0;
        long now = System.currentTimeMillis();
        for (LiveStats.WorkerSnapshot w : live.workers()) {
            rate += w.hashrate();
            dead += w.deadHashrate();
            online += now - w.lastShareMillis() < ONLINE_MS ? 1 : 0;
        }
        JsonObject pool = status.getJsonObject("pool", new JsonObject());
        double toShare = pool.getDouble("attempts_to_share", 0.0);
        double toBlock = pool.getDouble("attempts_to_block", 0.0);
        double poolRate = pool.getDouble("hashrate", 0.0);
        JsonObject local = new JsonObject().put("hashrate", rate).put("dead_hashrate", dead).put("workers_online", online)
                .put("expected_time_to_share_s", rate > 0 ? toShare / rate : null)
                .put("expected_time_to_block_s", rate > 0 && toBlock > 0 ? toBlock / rate : null);
        pool.put("expected_time_to_block_s", poolRate > 0 && toBlock > 0 ? toBlock / poolRate : null);
        int chainLength = status.getJsonObject("work", new JsonObject()).getInteger("chain_length", 8640);
        local.put("payout_odds", PayoutOdds.of(rate, toShare, toBlock, poolRate, chainLength));
        return status.put("local", local);
    }

    /** Every worker seen since start or stored in the database, with both views of its counts. */
    private Future<JsonArray> workers(RoutingContext ctx) {
        long now = System.currentTimeMillis();
        return Replies.db(ctx, () -> queries.workers(now - 86_400_000L)).map(rows -> {
            Map<String, JsonObject> byName = new TreeMap<>();
            for (StatsQueries.WorkerRow row : rows) {
                StatsQueries.Point t = row.totals();
                long rejected = t.duplicate() + t.lowDifficulty() + t.otherRejected();
                byName.put(row.worker(), blank(row.worker()).put("address", row.address()).put("difficulty", row.difficulty())
                        .put("user_agent", row.userAgent()).put("connections", row.connections()).put("first_seen_ms", row.firstSeenMs())
                        .put("last_seen_ms", row.lastSeenMs()).put("last_submit_ms", row.lastSeenMs()).put("last_share_ms", row.lastAcceptedMs())
                        .put("last_24h", new JsonObject().put("accepted", t.accepted()).put("stale", t.stale()).put("doa", t.doa())
                                .put("rejected", rejected).put("shares", t.shares()).put("hashrate", t.work() / 86_400.0)
                                .put("best_difficulty", t.bestDifficulty())));
            }
            for (LiveStats.WorkerSnapshot w : live.workers()) {
                JsonObject o = byName.computeIfAbsent(w.worker(), ApiV1::blank);
                JsonObject rejected = new JsonObject();
                w.byResult().forEach((k, v) -> {
                    // Stale has its own field: rejected_by_reason adds up to rejected, one definition each (docs/api.md).
                    if (!k.accepted() && k != p2pool4j.work.SubmitResult.STALE) {
                        rejected.put(k.name().toLowerCase(Locale.ROOT), v);
                    }
                });
                o.put("address", w.address()).put("accepted", w.accepted()).put("stale", w.stale()).put("doa", w.doa())
                        .put("rejected", w.rejected()).put("rejected_by_reason", rejected).put("shares", w.shares()).put("blocks", w.blocks())
                        .put("hashrate", w.hashrate()).put("dead_hashrate", w.deadHashrate()).put("best_difficulty", w.bestDifficulty())
                        .put("difficulty", w.lastDifficulty()).put("last_share_ms", Math.max(w.lastShareMillis(), o.getLong("last_share_ms")))
                        .put("last_submit_ms", Math.max(w.lastSubmitMillis(), o.getLong("last_submit_ms")))
                        .put("share_difficulty", w.shareDifficulty())
                        .put("user_agent", w.userAgent().isEmpty() ? o.getString("user_agent") : w.userAgent());
            }
            JsonArray out = new JsonArray();
            for (JsonObject o : byName.values()) {
                o.put("online", o.getInteger("connections") > 0 || now - o.getLong("last_share_ms") < ONLINE_MS
                        || now - o.getLong("last_submit_ms") < ONLINE_MS);
                o.put("alert", alert(o, now));
                out.add(o);
            }
            return out;
        });
    }

    /** A rig that submits but has had nothing accepted for this long is flagged. */
    static final long NOTHING_ACCEPTED_MS = 5 * 60_000L;

    /**
     * Why this worker needs a look, or null: it submitted within the last two minutes but nothing
     * was accepted for {@value #NOTHING_ACCEPTED_MS} ms (stale or rejected work: a rig on old jobs,
     * a wrong difficulty, a broken miner).
     */
    static String alert(JsonObject w, long now) {
        long submit = w.getLong("last_submit_ms", 0L);
        long accepted = w.getLong("last_share_ms", 0L);
        if (submit == 0 || now - submit > 120_000 || submit - accepted < NOTHING_ACCEPTED_MS) {
            return null;
        }
        String since = accepted == 0 ? "since it was first seen" : "for " + (now - accepted) / 60_000 + " min";
        return "submitting, but nothing accepted " + since + " (" + w.getLong("stale", 0L) + " stale, " + w.getLong("rejected", 0L)
                + " rejected since start): check the rig";
    }

    private static JsonObject blank(String name) {
        JsonObject rejected = new JsonObject();
        return new JsonObject().put("worker", name).put("address", "").put("online", false).put("connections", 0).put("accepted", 0L)
                .put("stale", 0L).put("doa", 0L).put("rejected", 0L).put("rejected_by_reason", rejected).put("shares", 0L).put("blocks", 0L)
                .put("hashrate", 0.0).put("dead_hashrate", 0.0).put("best_difficulty", 0.0).put("difficulty", 0.0).put("last_share_ms", 0L)
                .put("user_agent", "").put("first_seen_ms", 0L).put("last_seen_ms", 0L).put("last_submit_ms", 0L).put("share_difficulty", 0.0)
                .put("last_24h", new JsonObject().put("accepted", 0L).put("stale", 0L).put("doa", 0L).put("rejected", 0L).put("shares", 0L)
                        .put("hashrate", 0.0).put("best_difficulty", 0.0));
    }

    private void history(RoutingContext ctx, String worker) {
        Range range = Range.of(ctx.queryParams().get("range") == null ? "24h" : ctx.queryParams().get("range"));
        if (range == null) {
            Replies.error(ctx, 400, "range must be one of 1h, 24h, 7d, 30d");
            return;
        }
        double difficulty = 0;
        if (worker != null) {
            for (LiveStats.WorkerSnapshot w : live.workers()) {
                if (w.worker().equals(worker)) {
                    difficulty = w.lastDifficulty();
                }
            }
        }
        double diff = difficulty;
        long now = System.currentTimeMillis();
        long to = (now / range.slotMs + 1) * range.slotMs;
        Replies.later(ctx, Replies.db(ctx, () -> queries.history(worker, to, range.slotMs, range.slots, now)), points -> {
            JsonArray a = new JsonArray();
            for (StatsQueries.Point p : points) {
                double[] band = band(p, diff);
                long rejected = p.duplicate() + p.lowDifficulty() + p.otherRejected();
                a.add(new JsonObject().put("t", p.startMs() / 1000).put("hashrate", p.hashrate()).put("low", band[0]).put("high", band[1])
                        .put("accepted", p.accepted()).put("stale", p.stale()).put("doa", p.doa()).put("rejected", rejected)
                        .put("shares", p.shares()).put("best_difficulty", p.bestDifficulty()));
            }
            return new JsonObject().put("worker", worker).put("range", range.name).put("slot_s", range.slotMs / 1000)
                    .put("resolution_note", "minute buckets for 48 h, hourly after; a narrower slot in the hourly past shares its hour evenly")
                    .put("points", a);
        });
    }

    /**
     * A 95 % band for the hashrate behind {@code n} accepted pseudo-shares: shares arrive as a
     * Poisson process, so the estimate's relative error is about 1/sqrt(n). With no share, the
     * upper bound is the rate three shares at the current difficulty would have meant.
     */
    static double[] band(StatsQueries.Point p, double difficulty) {
        long n = p.accepted();
        double rate = p.hashrate();
        if (n <= 0) {
            return new double[] {0, 3 * difficulty * 4294967296.0 / (p.widthMs() / 1000.0)};
        }
        double rel = 1.96 / Math.sqrt(n);
        return new double[] {rate * Math.max(0, 1 - rel), rate * (1 + rel)};
    }

}
