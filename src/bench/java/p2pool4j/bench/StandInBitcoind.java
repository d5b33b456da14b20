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
 * on loopback answering getblockchaininfo (chain "test", or "regtest" for the simulation
 * network), getnetworkinfo, getblocktemplate with long polling, and submitblock. Its template has
 * mainnet difficulty bits, so no hash a load generator sends is a block; {@link #newBlock} moves
 * the tip, answering the node's held long poll, and records when, so the harness can time how
 * long new work takes to reach every miner.
 * With {@code txs > 0} its template carries that many transactions shaped like mainnet's common
 * payment (two P2PKH-sized inputs, two P2PKH outputs: 374 bytes, so 3,000 make a 1.1 MB block and a
 * 12-hash merkle branch every submit folds). The set moves as a mempool does: a new block confirms
 * all of it, and each ordinary getblocktemplate call (the node's 15-s refresh) replaces a tenth.
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

    private final int txCount;
    private final String chain;
    /** The current set: transactions number {@code firstTx} to {@code firstTx + txCount - 1}, oldest first. */
    private final java.util.ArrayDeque<JsonObject> window = new java.util.ArrayDeque<>();
    private long firstTx;

    StandInBitcoind(Vertx vertx) {
        this(vertx, 0);
    }

    StandInBitcoind(Vertx vertx, int txs) {
        this(vertx, txs, "test");
    }

    StandInBitcoind(Vertx vertx, int txs, String chain) {
        this.vertx = vertx;
        this.txCount = txs;
        this.chain = chain;
        advance(txs);
    }

    /** Drops the {@code n} oldest transactions of the set and appends as many new ones. */
    private synchronized void advance(int n) {
        for (int i = 0; i < n; i++) {
            if (window.size() == txCount) {
                window.removeFirst();
                firstTx++;
            }
            window.addLast(transaction(firstTx + window.size()));
        }
    }

    /** Transaction number {@code i}: valid and distinct, spending made-up outputs; only its shape matters to the node. */
    private static JsonObject transaction(long i) {
        List<p2pool4j.bitcoin.TxIn> ins = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            Sha256Hash prev = Hashes.hash256(("stand-in tx " + i + "/" + k).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            ins.add(new p2pool4j.bitcoin.TxIn(prev, k, new byte[107], p2pool4j.bitcoin.TxIn.FINAL_SEQUENCE)); // DER signature + pubkey
        }
        byte[] p2pkh = new byte[25];
        List<p2pool4j.bitcoin.TxOut> outs = List.of(new p2pool4j.bitcoin.TxOut(10_000, p2pkh), new p2pool4j.bitcoin.TxOut(20_000, p2pkh));
        p2pool4j.bitcoin.Transaction tx = new p2pool4j.bitcoin.Transaction(2, ins, outs, List.of(List.of(), List.of()), 0);
        return new JsonObject().put("data", Hex.encode(tx.serialize(false))).put("txid", tx.txid().toDisplayHex())
                .put("hash", tx.txid().toDisplayHex()).put("fee", 1_000).put("weight", tx.weight()).put("depends", new JsonArray());
    }

    Future<Integer> start() {
        server = vertx.createHttpServer();
        server.requestHandler(req -> req.body().onSuccess(body -> answer(req, body.toJsonObject())));
        return server.listen(0, "127.0.0.1").map(HttpServer::actualPort);
    }

    /**
     * Moves the tip: the held long poll gets the new template at once. The clock starts when the
     * answer is ready to write, so making up the next block's transactions (the harness's work, not
     * bitcoind's) is not counted as the node's broadcast time.
     */
    synchronized void newBlock() {
        height++;
        tip = Hashes.hash256(("stand-in block " + height).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        advance(txCount); // the block confirmed the whole set
        List<Held> polls = new ArrayList<>(heldPolls);
        heldPolls.clear();
        JsonObject t = template();
        List<String> bodies = polls.stream().map(h -> body(h.id(), t)).toList();
        announcedAt.put(Hex.encode(p2pool4j.bitcoin.WordSwap.swap4(tip.bytes())), System.nanoTime());
        for (int i = 0; i < polls.size(); i++) {
            send(polls.get(i).request(), bodies.get(i));
        }
    }

    private synchronized JsonObject template() {
        long now = System.currentTimeMillis() / 1000;
        return new JsonObject().put("version", 0x20000000).put("previousblockhash", tip.toDisplayHex()).put("height", height)
                .put("bits", BITS).put("curtime", now).put("mintime", now - 600).put("coinbasevalue", 312_500_000L)
                .put("transactions", new JsonArray(new ArrayList<>(window))).put("rules", new JsonArray().add("segwit")).put("longpollid", "lp" + height);
    }

    private void answer(HttpServerRequest req, JsonObject call) {
        Object id = call.getValue("id");
        String method = call.getString("method", "");
        switch (method) {
            case "getblockchaininfo" -> reply(req, id, new JsonObject().put("chain", chain).put("blocks", height));
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
                advance(txCount / 10); // the mempool moved on since the last call
                reply(req, id, template());
            }
            default -> req.response().setStatusCode(404).end(new JsonObject().putNull("result")
                    .put("error", new JsonObject().put("code", -32601).put("message", "Method not found")).put("id", id).encode());
        }
    }

    private static void reply(HttpServerRequest req, Object id, Object result) {
        send(req, body(id, result));
    }

    private static String body(Object id, Object result) {
        return new JsonObject().put("result", result).putNull("error").put("id", id).encode();
    }

    private static void send(HttpServerRequest req, String body) {
        req.response().putHeader("Content-Type", "application/json").end(body);
    }

    Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close(); // never started under load --floor
    }
}
