package p2pool4j.web;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the node tells the web layer. Every answer is a JSON snapshot built on the node's own
 * context (the web server never touches the tracker), so any thread may call these.
 */
public interface NodeView {
    /**
     * The node's state: {@code network, version, payout_address, fee, donation_percent,
     * bitcoind{...}, sharechain{...}, pool{...}, payouts[...], users{...}, recent_blocks[...],
     * peers_in_out{incoming, outgoing}, local_shares{total, orphan, dead}, warnings[...]}.
     */
    Future<JsonObject> status();

    /** Connected peers. */
    Future<JsonArray> peers();

    /** Banned peer addresses. */
    Future<JsonArray> bans();

    /** Share explorer lists: best, heads, verified_heads, tails, verified_tails, my_share_hashes. */
    Future<JsonObject> chain();

    /** One share in the reference's /web/share shape, or null when unknown. */
    Future<JsonObject> share(String hashHex);

    /** One share packed as on the wire, or null when unknown. */
    Future<Buffer> shareData(String hashHex);

    /** A worker's live Stratum sessions: {ip, user_agent, connected_ms, difficulty, last_submit_ms, accepted, rejected, tls}. */
    default Future<JsonArray> sessions(String worker) {
        return Future.succeededFuture(new JsonArray());
    }
}
