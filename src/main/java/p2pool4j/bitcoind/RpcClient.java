package p2pool4j.bitcoind;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * JSON-RPC over HTTP to bitcoind (or any daemon speaking its dialect, such as bcoin). Answers
 * are size-capped while they stream in, so a broken or hostile daemon cannot exhaust the heap.
 * Long-poll calls use their own connection pool so they never starve ordinary calls.
 */
public final class RpcClient implements AutoCloseable {
    /** getblocktemplate of a full 4 MB block is about 10 MB of JSON; leave room. */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    private static final int SIZE_HINT_CAP = 8 * 1024 * 1024;
    public static final long DEFAULT_TIMEOUT_MS = 30_000;

    private final String host;
    private final int port;
    private final Supplier<Future<RpcCredentials>> credentials;
    private final HttpClient client;
    private final HttpClient longPollClient;
    private final AtomicLong ids = new AtomicLong();

    public RpcClient(Vertx vertx, String host, int port, Supplier<Future<RpcCredentials>> credentials) {
        this.host = host;
        this.port = port;
        this.credentials = credentials;
        HttpClientOptions opts = new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000);
        this.client = vertx.createHttpClient(opts, new PoolOptions().setHttp1MaxSize(4));
        this.longPollClient = vertx.createHttpClient(new HttpClientOptions(opts), new PoolOptions().setHttp1MaxSize(1));
    }

    public String endpoint() {
        return host + ":" + port;
    }

    public Future<Object> call(String method, Object... params) {
        return call(DEFAULT_TIMEOUT_MS, false, method, new JsonArray(java.util.Arrays.asList(params)));
    }

    /** A call that may legitimately wait long (getblocktemplate with longpollid). */
    public Future<Object> longPoll(long timeoutMs, String method, JsonArray params) {
        return call(timeoutMs, true, method, params);
    }

    private Future<Object> call(long timeoutMs, boolean longPoll, String method, JsonArray params) {
        JsonObject body = new JsonObject().put("jsonrpc", "1.0").put("id", ids.incrementAndGet())
                .put("method", method).put("params", params);
        RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setURI("/")
                .setIdleTimeout(timeoutMs).setConnectTimeout(5_000);
        HttpClient c = longPoll ? longPollClient : client;
        return credentials.get()
                .compose(cred -> c.request(ro.putHeader(HttpHeaders.AUTHORIZATION, cred.basicHeader())
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")))
                // The response handlers must be attached in the send future's own listener: one step later a small
                // answer may already have gone by.
                .compose(req -> req.send(body.toBuffer()).compose(
                        resp -> readCapped(resp).map(buf -> interpret(method, resp.statusCode(), buf)),
                        err -> Future.failedFuture(unreachable(err))),
                        err -> Future.failedFuture(unreachable(err)))
                .recover(err -> Future.failedFuture(err instanceof BitcoindException ? err
                        : new BitcoindException(BitcoindException.Kind.TRANSPORT, method + ": " + describe(err))));
    }

    private Throwable unreachable(Throwable err) {
        return err instanceof BitcoindException ? err
                : new BitcoindException(BitcoindException.Kind.TRANSPORT, "bitcoind at " + endpoint() + " unreachable: " + describe(err));
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }

    private Future<Buffer> readCapped(HttpClientResponse resp) {
        String len = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (len != null && len.trim().equals("0")) {
            return Future.succeededFuture(Buffer.buffer()); // already ended at header time: nothing to read
        }
        int sizeHint = 0;
        if (len != null) {
            try {
                long declared = Long.parseLong(len.trim());
                // A mainnet template is a few MB: sized at once, it is not copied while it grows. The hint is
                // capped, so a length that is claimed but never sent costs little.
                sizeHint = (int) Math.max(0, Math.min(declared, SIZE_HINT_CAP));
                if (declared > MAX_RESPONSE_BYTES) {
                    resp.request().reset();
                    return Future.failedFuture(new BitcoindException(BitcoindException.Kind.BAD_RESPONSE,
                            "bitcoind answer of " + len + " bytes is above the limit"));
                }
            } catch (NumberFormatException ignored) {
                // chunked or odd header: the streaming cap below still applies
            }
        }
        Promise<Buffer> p = Promise.promise();
        Buffer acc = Buffer.buffer(sizeHint);
        try {
            attach(resp, p, acc);
        } catch (IllegalStateException alreadyEnded) {
            return Future.succeededFuture(acc); // ended before any data could be read: an empty answer
        }
        return p.future();
    }

    private static void attach(HttpClientResponse resp, Promise<Buffer> p, Buffer acc) {
        resp.handler(chunk -> {
            if (acc.length() + chunk.length() > MAX_RESPONSE_BYTES) {
                p.tryFail(new BitcoindException(BitcoindException.Kind.BAD_RESPONSE, "bitcoind answer above the size limit"));
                resp.request().reset();
                return;
            }
            acc.appendBuffer(chunk);
        });
        resp.exceptionHandler(e -> p.tryFail(new BitcoindException(BitcoindException.Kind.TRANSPORT,
                "connection to bitcoind lost: " + describe(e))));
        resp.endHandler(v -> p.tryComplete(acc));
    }

    private Object interpret(String method, int status, Buffer buf) {
        if (status == 401 || status == 403) {
            throw new BitcoindException(BitcoindException.Kind.AUTH, "bitcoind rejected the RPC credentials");
        }
        JsonObject reply;
        try {
            Object parsed = buf.length() == 0 ? null : io.vertx.core.json.Json.decodeValue(buf);
            if (!(parsed instanceof JsonObject o)) {
                throw new BitcoindException(status == 200 ? BitcoindException.Kind.BAD_RESPONSE : BitcoindException.Kind.HTTP,
                        method + ": bitcoind answered HTTP " + status + " without a JSON-RPC object");
            }
            reply = o;
        } catch (DecodeException e) {
            throw new BitcoindException(status == 200 ? BitcoindException.Kind.BAD_RESPONSE : BitcoindException.Kind.HTTP,
                    method + ": bitcoind answered HTTP " + status + " with malformed JSON");
        }
        Object error = reply.getValue("error");
        if (error instanceof JsonObject e) {
            Object code = e.getValue("code");
            int c = code instanceof Number n ? n.intValue() : 0;
            String msg = e.getValue("message") instanceof String s ? s : String.valueOf(e.getValue("message"));
            throw new BitcoindException(BitcoindException.Kind.RPC, c, method + ": " + msg + " (code " + c + ")");
        }
        if (error != null) {
            throw new BitcoindException(BitcoindException.Kind.BAD_RESPONSE, method + ": malformed error field");
        }
        if (status != 200) {
            throw new BitcoindException(BitcoindException.Kind.HTTP, method + ": bitcoind answered HTTP " + status);
        }
        return reply.getValue("result");
    }

    @Override
    public void close() {
        client.close();
        longPollClient.close();
    }
}
