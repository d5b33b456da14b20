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
 * With {@code txs > 0} its template carries that many transactions (one input, one output each), so
 * a job has a mainnet-deep merkle branch (3,000 give 12 hashes) and every submit folds it.
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

    private final JsonArray transactions;

    StandInBitcoind(Vertx vertx) {
        this(vertx, 0);
    }

    StandInBitcoind(Vertx vertx, int txs) {
        this.vertx = vertx;
        this.transactions = transactions(txs);
    }

    /** {@code n} distinct valid transactions spending made-up outputs: only their shape matters to the node. */
    private static JsonArray transactions(int n) {
        JsonArray out = new JsonArray();
        for (int i = 0; i < n; i++) {
            Sha256Hash prev = Hashes.hash256(("stand-in tx " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            p2pool4j.bitcoin.Transaction tx = new p2pool4j.bitcoin.Transaction(2,
                    List.of(new p2pool4j.bitcoin.TxIn(prev, 0, new byte[] {0x51}, p2pool4j.bitcoin.TxIn.FINAL_SEQUENCE)),
                    List.of(new p2pool4j.bitcoin.TxOut(10_000, new byte[] {0x51})), List.of(List.of()), 0);
            out.add(new JsonObject().put("data", Hex.encode(tx.serialize(false))).put("txid", tx.txid().toDisplayHex())
                    .put("hash", tx.txid().toDisplayHex()).put("fee", 1_000).put("weight", tx.weight()).put("depends", new JsonArray()));
        }
        return out;
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
                .put("transactions", transactions).put("rules", new JsonArray().add("segwit")).put("longpollid", "lp" + height);
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
