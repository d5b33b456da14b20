package p2pool4j.bitcoind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a broken or hostile daemon can answer: each becomes one typed error, never an uncaught
 * exception or an unbounded buffer. The server here stands in for a misbehaving bitcoind on
 * loopback; the well-behaved path is tested against bcoin in BitcoindIT.
 */
class RpcClientTest {
    private Vertx vertx;
    private HttpServer server;
    private final AtomicReference<Answer> answer = new AtomicReference<>();
    private RpcClient rpc;

    record Answer(int status, String body, boolean huge) {}

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            Answer a = answer.get();
            req.response().setStatusCode(a.status());
            if (a.huge()) {
                req.response().setChunked(true);
                byte[] chunk = new byte[1 << 20];
                java.util.Arrays.fill(chunk, (byte) ' ');
                writeChunks(req.response(), io.vertx.core.buffer.Buffer.buffer(chunk), 80);
            } else {
                req.response().end(a.body());
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        rpc = new RpcClient(vertx, "127.0.0.1", server.actualPort(), CredentialSource.fixed("u", "p"));
    }

    private static void writeChunks(io.vertx.core.http.HttpServerResponse resp, io.vertx.core.buffer.Buffer chunk, int left) {
        if (left == 0 || resp.closed()) {
            if (!resp.closed()) {
                resp.end();
            }
            return;
        }
        resp.write(chunk).onComplete(ar -> {
            if (ar.succeeded()) {
                writeChunks(resp, chunk, left - 1);
            }
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        rpc.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static BitcoindException failure(Future<?> f) throws Exception {
        try {
            f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof BitcoindException, String.valueOf(e.getCause()));
            return (BitcoindException) e.getCause();
        }
        throw new AssertionError("call succeeded");
    }

    /** The refusal of an answer, the same whether its result becomes JSON or is read in place (getblocktemplate's way). */
    private BitcoindException fail(Answer a) throws Exception {
        answer.set(a);
        BitcoindException tree = failure(rpc.call("getblockcount"));
        BitcoindException streamed = failure(rpc.call("getblockcount", new io.vertx.core.json.JsonArray(), p -> TemplateParser.read(p, null)));
        assertEquals(tree.kind(), streamed.kind(), a.body());
        assertEquals(tree.getMessage(), streamed.getMessage(), a.body());
        return tree;
    }

    @Test
    void aTemplateIsReadInPlaceAndBitcoindsErrorStillComesFirst() throws Exception {
        String template = TemplateParserTest.template().encode();
        answer.set(new Answer(200, "{\"result\":" + template + ",\"error\":null,\"id\":1}", false));
        Template t = rpc.call("getblocktemplate", new io.vertx.core.json.JsonArray(), p -> TemplateParser.read(p, null))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(TemplateParser.parse(TemplateParserTest.template()).transactions().get(0).txid(), t.transactions().get(0).txid());
        // A result the reader refuses, then an error member: bitcoind's error decides, as it does for a JSON tree.
        answer.set(new Answer(500, "{\"result\":{\"transactions\":[1]},\"error\":{\"code\":-10,\"message\":\"Bitcoin is downloading blocks\"},\"id\":1}",
                false));
        BitcoindException e = failure(rpc.call("getblocktemplate", new io.vertx.core.json.JsonArray(), p -> TemplateParser.read(p, null)));
        assertEquals(BitcoindException.Kind.RPC, e.kind(), e.getMessage());
        assertEquals(-10, e.rpcCode());
        // Without an error, the reader's own refusal.
        String badTx = TemplateParserTest.template().put("transactions", new io.vertx.core.json.JsonArray().add(1)).encode();
        answer.set(new Answer(200, "{\"id\":1,\"result\":" + badTx + ",\"error\":null}", false));
        e = failure(rpc.call("getblocktemplate", new io.vertx.core.json.JsonArray(), p -> TemplateParser.read(p, null)));
        assertEquals(BitcoindException.Kind.BAD_RESPONSE, e.kind());
        assertEquals("transaction entries must be objects", e.getMessage());
    }

    @Test
    void goodAnswer() throws Exception {
        answer.set(new Answer(200, "{\"result\":42,\"error\":null,\"id\":1}", false));
        assertEquals(42, rpc.call("getblockcount").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    }

    @Test
    void unauthorised() throws Exception {
        BitcoindException e = fail(new Answer(401, "", false));
        assertEquals(BitcoindException.Kind.AUTH, e.kind());
        assertEquals("bitcoind rejected the RPC credentials", e.getMessage());
    }

    @Test
    void jsonRpcErrorKeepsBitcoindsMessage() throws Exception {
        // Bitcoin Core answers errors with HTTP 500 and a JSON-RPC error object.
        BitcoindException e = fail(new Answer(500, "{\"result\":null,\"error\":{\"code\":-8,\"message\":\"Block height out of range\"},\"id\":1}", false));
        assertEquals(BitcoindException.Kind.RPC, e.kind());
        assertEquals(-8, e.rpcCode());
        assertTrue(e.getMessage().contains("Block height out of range"));
    }

    @Test
    void malformedJson() throws Exception {
        assertEquals(BitcoindException.Kind.BAD_RESPONSE, fail(new Answer(200, "{\"result\":", false)).kind());
        assertEquals(BitcoindException.Kind.BAD_RESPONSE, fail(new Answer(200, "[1,2,3]", false)).kind());
        assertEquals(BitcoindException.Kind.BAD_RESPONSE, fail(new Answer(200, "{\"result\":1,\"error\":\"x\"}", false)).kind());
    }

    @Test
    void httpErrorWithoutJson() throws Exception {
        assertEquals(BitcoindException.Kind.HTTP, fail(new Answer(503, "Service Unavailable", false)).kind());
        assertEquals(BitcoindException.Kind.HTTP, fail(new Answer(404, "", false)).kind());
    }

    @Test
    void oversizedAnswerIsCutOff() throws Exception {
        BitcoindException e = fail(new Answer(200, null, true));
        assertTrue(e.kind() == BitcoindException.Kind.BAD_RESPONSE || e.kind() == BitcoindException.Kind.TRANSPORT, e.toString());
    }
}
