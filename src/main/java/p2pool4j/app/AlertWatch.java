package p2pool4j.app;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import p2pool4j.bitcoind.BitcoindState;
import p2pool4j.stats.LiveStats;
import p2pool4j.work.FoundBlock;

/**
 * Decides which alerts to send, from what the node already publishes; looked at every
 * {@value #CHECK_MS} ms on one Vert.x context (plus found blocks, as they come). A state alert
 * (bitcoind, peers, a worker) is sent when it begins and when it ends, once each; a worker that
 * flaps is alerted at most once per {@value #WORKER_QUIET_MS} ms, the rest counted as suppressed.
 */
final class AlertWatch {
    static final long CHECK_MS = 30_000;
    static final long BITCOIND_DOWN_MS = 60_000;
    static final long TEMPLATE_STUCK_MS = 30 * 60_000L;
    static final long NO_PEERS_MS = 120_000;
    static final long WORKER_QUIET_MS = 30 * 60_000L;
    static final int MAX_WORKERS = 10_000;

    private final java.util.function.Consumer<Alert> out;
    private final Runnable suppressed;
    private final Config config;
    private final LiveStats live;
    private final Supplier<BitcoindState> bitcoind;
    private final IntSupplier peers;
    private final long offlineMs;
    private final long startedMs = System.currentTimeMillis();

    private boolean bitcoindDown;
    private boolean templateStuck;
    private boolean hadPeers;
    private boolean noPeers;
    private long noPeersSince;
    private long downSince;
    /** Workers alerted offline (value: when), and when each was last alerted at all. */
    private final Map<String, Long> offline = new HashMap<>();
    private final Map<String, Long> lastAlerted = p2pool4j.util.Lru.map(MAX_WORKERS, true);

    AlertWatch(java.util.function.Consumer<Alert> out, Runnable suppressed, Config config, LiveStats live, Supplier<BitcoindState> bitcoind,
            IntSupplier peers, long offlineMs) {
        this.out = out;
        this.suppressed = suppressed;
        this.config = config;
        this.live = live;
        this.bitcoind = bitcoind;
        this.peers = peers;
        this.offlineMs = offlineMs;
    }

    private void send(String event, String title, String message, JsonObject details) {
        out.accept(new Alert(event, System.currentTimeMillis(), title, message, details.put("network", config.net().cliName())));
    }

    void started() {
        send("node_started", "p2pool4j started", Cli.VERSION + " on " + config.net().cliName() + " (a restart, if you did not start it)",
                new JsonObject().put("version", Cli.VERSION));
    }

    /** A found block and, later, bitcoind's verdict: alerted once, when bitcoind accepted it. */
    void block(FoundBlock b) {
        if (!"accepted".equals(b.verdict())) {
            return;
        }
        send("block_found", "Block found by " + b.finder(), String.format(java.util.Locale.ROOT, "Block %d (%s) accepted by bitcoind: %.8f BTC"
                + " to the sharechain's PPLNS payouts, %.8f BTC of it to %s", b.height(), b.hash(), b.rewardSat() / 1e8,
                b.paidToPayoutSat() / 1e8, b.payoutAddress().isEmpty() ? "the finder" : b.payoutAddress()),
                new JsonObject().put("hash", b.hash()).put("height", b.height()).put("reward_sat", b.rewardSat()).put("finder", b.finder())
                        .put("share", b.shareHash()).put("payout_address", b.payoutAddress()).put("paid_to_payout_address_sat", b.paidToPayoutSat()));
    }

    void check(long now) {
        BitcoindState s = bitcoind.get();
        if (!s.rpcConnected()) {
            downSince = downSince == 0 ? now : downSince;
            if (!bitcoindDown && now - downSince >= BITCOIND_DOWN_MS) {
                bitcoindDown = true;
                send("bitcoind_down", "bitcoind unreachable", "No answer from bitcoind's RPC for " + (now - downSince) / 1000
                        + " s" + (s.lastError() == null ? "" : ": " + s.lastError()) + "; miners keep the last work until it is stale",
                        new JsonObject().put("since_ms", downSince));
            }
        } else {
            downSince = 0;
            if (bitcoindDown) {
                bitcoindDown = false;
                send("bitcoind_up", "bitcoind back", "bitcoind's RPC answers again", new JsonObject());
            }
        }
        // Mainnet blocks come every ~10 minutes: no new template for 30 is a stuck bitcoind (test chains can idle).
        boolean stuck = config.net().persist() && s.lastTemplateMillis() > 0 && now - s.lastTemplateMillis() > TEMPLATE_STUCK_MS;
        if (stuck != templateStuck) {
            templateStuck = stuck;
            send(stuck ? "bitcoind_stuck" : "bitcoind_unstuck", stuck ? "bitcoind stuck" : "bitcoind moving again",
                    stuck ? "No new block template for " + (now - s.lastTemplateMillis()) / 60_000 + " min" : "New block templates arrive again",
                    new JsonObject().put("last_template_ms", s.lastTemplateMillis()));
        }
        int n = peers.getAsInt();
        hadPeers |= n > 0;
        if (n == 0 && (hadPeers || config.net().persist())) {
            noPeersSince = noPeersSince == 0 ? now : noPeersSince;
            if (!noPeers && now - noPeersSince >= NO_PEERS_MS) {
                noPeers = true;
                send("no_peers", "No P2Pool peers", "Not connected to any P2Pool peer for " + (now - noPeersSince) / 1000
                        + " s: shares found now reach nobody", new JsonObject());
            }
        } else if (n > 0) {
            noPeersSince = 0;
            if (noPeers) {
                noPeers = false;
                send("peers_back", "P2Pool peers back", n + " peer(s) connected", new JsonObject().put("peers", n));
            }
        }
        workers(now);
    }

    private void workers(long now) {
        for (LiveStats.WorkerSnapshot w : live.workers()) {
            long last = Math.max(w.lastSubmitMillis(), w.lastShareMillis());
            if (last == 0 || last < startedMs) {
                continue;
            }
            boolean isOffline = now - last >= offlineMs;
            Long alerted = offline.get(w.worker());
            if (isOffline && alerted == null) {
                if (offline.size() >= MAX_WORKERS) {
                    continue;
                }
                Long previous = lastAlerted.get(w.worker());
                offline.put(w.worker(), now);
                if (previous != null && now - previous < WORKER_QUIET_MS) {
                    suppressed.run(); // flapping: the last alert for it is recent
                    continue;
                }
                lastAlerted.put(w.worker(), now);
                send("worker_offline", "Worker offline: " + w.worker(), "No submit from " + w.worker() + " for "
                        + (now - last) / 60_000 + " min", new JsonObject().put("worker", w.worker()).put("last_submit_ms", last));
            } else if (!isOffline && alerted != null) {
                offline.remove(w.worker());
                Long previous = lastAlerted.get(w.worker());
                if (previous != null && previous > alerted) {
                    continue;
                }
                if (previous != null && previous.equals(alerted)) {
                    // its offline alert went out: say it is back
                    lastAlerted.put(w.worker(), now);
                    send("worker_online", "Worker back: " + w.worker(), w.worker() + " submits again",
                            new JsonObject().put("worker", w.worker()));
                } else {
                    suppressed.run();
                }
            }
        }
    }
}
