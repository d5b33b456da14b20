package p2pool4j.bitcoind;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.io.IOException;
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

    /**
     * Reads a call's {@code result} in place from the answer's bytes, for answers too big to
     * build a JSON tree of (getblocktemplate). The parser stands on the value's first token (any
     * token, null included); the reader consumes exactly that value, and when it refuses it, it
     * throws its BitcoindException only once the value is consumed, so the answer's {@code error}
     * member, read after it, still decides first.
     */
    @FunctionalInterface
    public interface ResultReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    public Future<Object> call(String method, Object... params) {
        return call(DEFAULT_TIMEOUT_MS, false, method, new JsonArray(java.util.Arrays.asList(params)), null);
    }

    public <T> Future<T> call(String method, JsonArray params, ResultReader<T> reader) {
        return call(DEFAULT_TIMEOUT_MS, false, method, params, reader);
    }

    /** A call that may legitimately wait long (getblocktemplate with longpollid). */
    public Future<Object> longPoll(long timeoutMs, String method, JsonArray params) {
        return call(timeoutMs, true, method, params, null);
    }

    public <T> Future<T> longPoll(long timeoutMs, String method, JsonArray params, ResultReader<T> reader) {
        return call(timeoutMs, true, method, params, reader);
    }

    /** With a null reader the result is Vert.x JSON (Object); else what the reader makes of it. */
    @SuppressWarnings("unchecked")
    private <T> Future<T> call(long timeoutMs, boolean longPoll, String method, JsonArray params, ResultReader<T> reader) {
        JsonObject body = new JsonObject().put("jsonrpc", "1.0").put("id", ids.incrementAndGet())
                .put("method", method).put("params", params);
        RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setURI("/")
                .setIdleTimeout(timeoutMs).setConnectTimeout(5_000);
        HttpClient c = longPoll ? longPollClient : client;
        return credentials.get()
                .compose(cred -> c.request(ro.putHeader(HttpHeaders.AUTHORIZATION, cred.basicHeader())
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")))
                // The response's handlers are attached by a listener registered before the request is written:
                // attached in send()'s future instead, a small answer had sometimes ended before they were, and
                // was lost (seen in RpcClientTest about one run in three; Vert.x 5 delivers it without waiting).
                .compose(req -> {
                    Future<T> answer = req.response().compose(
                            resp -> readCapped(resp).map(buf -> reader == null ? (T) interpret(method, resp.statusCode(), buf)
                                    : interpret(method, resp.statusCode(), buf, reader)),
                            err -> Future.failedFuture(unreachable(err)));
                    return req.end(body.toBuffer()).compose(v -> answer, err -> Future.failedFuture(unreachable(err)));
                }, err -> Future.failedFuture(unreachable(err)))
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
            // Its bytes went by unread: never taken for an empty answer, which would be misread as bitcoind's.
            return Future.failedFuture(new BitcoindException(BitcoindException.Kind.TRANSPORT,
                    "bitcoind's answer ended before it could be read"));
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
        refuseCredentials(status);
        JsonObject reply;
        try {
            Object parsed = buf.length() == 0 ? null : io.vertx.core.json.Json.decodeValue(buf);
            if (!(parsed instanceof JsonObject o)) {
                throw unreadable(method, status, "without a JSON-RPC object");
            }
            reply = o;
        } catch (DecodeException e) {
            throw unreadable(method, status, "with malformed JSON");
        }
        checkReply(method, status, reply.getValue("error"));
        return reply.getValue("result");
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** As {@link #interpret(String, int, Buffer)}, with the result read from the bytes by {@code reader}. */
    private <T> T interpret(String method, int status, Buffer buf, ResultReader<T> reader) {
        refuseCredentials(status);
        T result = null;
        boolean hasResult = false;
        BitcoindException refused = null;
        Object error = null;
        try (JsonParser p = JSON.createParser(new BufferStream(buf))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw unreadable(method, status, "without a JSON-RPC object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "result" -> { // a repeated member: the last one counts, as in a JSON object
                        hasResult = true;
                        try {
                            result = reader.read(p);
                            refused = null;
                        } catch (BitcoindException e) {
                            result = null;
                            refused = e;
                        }
                    }
                    case "error" -> error = errorValue(p);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "content after the JSON-RPC object");
            }
        } catch (IOException e) {
            throw unreadable(method, status, "with malformed JSON");
        }
        checkReply(method, status, error);
        if (refused != null) {
            throw refused;
        }
        if (!hasResult) {
            throw new BitcoindException(BitcoindException.Kind.BAD_RESPONSE, method + ": bitcoind's answer has no result");
        }
        return result;
    }

    /** The {@code error} member as {@link #checkReply} reads it: null, a JsonObject of its code and message, or anything else. */
    private static Object errorValue(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Boolean.FALSE; // not an object: a malformed error field
        }
        JsonObject e = new JsonObject();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if ((name.equals("code") || name.equals("message")) && t.isScalarValue()) {
                e.put(name, t == JsonToken.VALUE_STRING ? p.getText() : t.isNumeric() ? p.getNumberValue()
                        : t == JsonToken.VALUE_NULL ? null : p.getValueAsBoolean());
            } else {
                p.skipChildren();
                if (name.equals("code") || name.equals("message")) {
                    e.put(name, "(not a scalar)");
                }
            }
        }
        return e;
    }

    private static void refuseCredentials(int status) {
        if (status == 401 || status == 403) {
            throw new BitcoindException(BitcoindException.Kind.AUTH, "bitcoind rejected the RPC credentials");
        }
    }

    /** An answer that is no JSON-RPC reply: bitcoind's fault when it said 200, an HTTP error when it did not. */
    private static BitcoindException unreadable(String method, int status, String what) {
        return new BitcoindException(status == 200 ? BitcoindException.Kind.BAD_RESPONSE : BitcoindException.Kind.HTTP,
                method + ": bitcoind answered HTTP " + status + " " + what);
    }

    /** What every answer must pass whatever its result: bitcoind's own error first, then the HTTP status. */
    private static void checkReply(String method, int status, Object error) {
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
    }

    /** The answer's bytes as a stream, so the parser reads them where they are instead of from a copy of megabytes. */
    private static final class BufferStream extends java.io.InputStream {
        private final Buffer buf;
        private int pos;

        BufferStream(Buffer buf) {
            this.buf = buf;
        }

        @Override
        public int read() {
            return pos < buf.length() ? buf.getByte(pos++) & 0xff : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = Math.min(len, buf.length() - pos);
            if (n <= 0) {
                return -1;
            }
            buf.getBytes(pos, pos + n, dst, off);
            pos += n;
            return n;
        }
    }

    @Override
    public void close() {
        client.close();
        longPollClient.close();
    }
}
