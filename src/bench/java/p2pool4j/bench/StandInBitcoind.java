package p2pool4j.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * A stand-in bitcoind for the load harness only (the integration tests use real bcoin): JSON-RPC
 * on loopback answering getblockchaininfo (chain "test"), getnetworkinfo, getblocktemplate with
 * long polling, and submitblock. Its template has mainnet difficulty bits, so no hash a load
 * generator sends is a block; {@link #newBlock} moves the tip, answering the node's held long
 * poll, and records when, so the harness can time how long new work takes to reach every miner.
 */
final class StandInBitcoind {
    static final String BITS = "17034219";

    private final Vertx vertx;
    private HttpServer server;
    private volatile int height = 900_000;
    private volatile Sha256Hash tip = Hashes.hash256(new byte[] {0});
    private record Held(HttpServerRequest request, Object id) {}

    private final List<Held> heldPolls = new ArrayList<>();
    /** When each tip was announced (System.nanoTime), keyed by the prevhash as mining.notify writes it. */
    final Map<String, Long> announcedAt = new ConcurrentHashMap<>();

    StandInBitcoind(Vertx vertx) {
        this.vertx = vertx;
    }

    Future<Integer> start() {
        server = vertx.createHttpServer();
        server.requestHandler(req -> req.body().onSuccess(body -> answer(req, body.toJsonObject())));
        return server.listen(0, "127.0.0.1").map(HttpServer::actualPort);
    }

    /** Moves the tip: the held long poll gets the new template at once. */
    synchronized void newBlock() {
        height++;
        tip = Hashes.hash256(("stand-in block " + height).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        announcedAt.put(Hex.encode(p2pool4j.bitcoin.WordSwap.swap4(tip.bytes())), System.nanoTime());
        List<Held> polls = new ArrayList<>(heldPolls);
        heldPolls.clear();
        JsonObject t = template();
        polls.forEach(h -> reply(h.request(), h.id(), t));
    }

    private JsonObject template() {
        long now = System.currentTimeMillis() / 1000;
        return new JsonObject().put("version", 0x20000000).put("previousblockhash", tip.toDisplayHex()).put("height", height)
                .put("bits", BITS).put("curtime", now).put("mintime", now - 600).put("coinbasevalue", 312_500_000L)
                .put("transactions", new JsonArray()).put("rules", new JsonArray().add("segwit")).put("longpollid", "lp" + height);
    }

    private void answer(HttpServerRequest req, JsonObject call) {
        Object id = call.getValue("id");
        String method = call.getString("method", "");
        switch (method) {
            case "getblockchaininfo" -> reply(req, id, new JsonObject().put("chain", "test").put("blocks", height));
            case "getnetworkinfo" -> reply(req, id, new JsonObject().put("subversion", "/stand-in:0/").put("version", 270000));
            case "submitblock" -> reply(req, id, null);
            case "getblocktemplate" -> {
                JsonArray params = call.getJsonArray("params", new JsonArray());
                JsonObject p = params.size() > 0 && params.getValue(0) instanceof JsonObject o ? o : new JsonObject();
                synchronized (this) {
                    if (("lp" + height).equals(p.getString("longpollid"))) {
                        heldPolls.add(new Held(req, id)); // answered by the next newBlock
                        return;
                    }
                }
                reply(req, id, template());
            }
            default -> req.response().setStatusCode(404).end(new JsonObject().putNull("result")
                    .put("error", new JsonObject().put("code", -32601).put("message", "Method not found")).put("id", id).encode());
        }
    }

    private static void reply(HttpServerRequest req, Object id, Object result) {
        req.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("result", result).putNull("error").put("id", id).encode());
    }

    Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close(); // never started under load --floor
    }
}
