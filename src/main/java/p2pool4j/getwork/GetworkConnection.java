package p2pool4j.getwork;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import p2pool4j.work.Job;
import p2pool4j.work.NotReadyException;
import p2pool4j.work.Username;

/**
 * An HTTP/1.x connection on the worker port, read by hand because the port is shared with Stratum
 * and the protocol is only known after the first bytes. Bounded: 8 KiB of headers, 64 KiB of
 * body, one request at a time, keep-alive with Content-Length. Errors are JSON-RPC errors with
 * HTTP 200 (miners treat any 4xx/5xx as a dead pool); any username and password are accepted.
 */
public final class GetworkConnection {

    private final GetworkService service;
    private final NetSocket socket;
    private final String ip;
    private RecordParser parser;
    private final HttpHead head = new HttpHead();
    private boolean closed;
    /** Cleanup of a held long poll when the client goes away. */
    private Runnable onClose;
    private final io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();

    public GetworkConnection(GetworkService service, NetSocket socket, String ip) {
        this.service = service;
        this.socket = socket;
        this.ip = ip;
    }

    /** A request head must arrive whole within this long of its first byte (slowloris), or of the previous answer. */
    static final long HEAD_TIMEOUT_MS = 30_000;
    private long headTimer = -1;

    private void armHeadTimer() {
        service.vertx().cancelTimer(headTimer);
        headTimer = service.vertx().setTimer(HEAD_TIMEOUT_MS, id -> {
            service.badRequest();
            close();
        });
    }

    public void start(Buffer first) {
        armHeadTimer();
        parser = RecordParser.newDelimited("\r\n", this::headerLine);
        parser.maxRecordSize(HttpHead.MAX_BYTES);
        parser.exceptionHandler(e -> close());
        socket.handler(parser);
        parser.handle(first);
    }

    /** The socket closed (the worker port's close handler, which also frees the IP's slot). */
    public void socketClosed() {
        closed = true;
        service.vertx().cancelTimer(headTimer);
        Runnable r = onClose;
        onClose = null;
        if (r != null) {
            r.run();
        }
    }

    private void close() {
        closed = true;
        socket.close();
    }

    private void headerLine(Buffer b) {
        HttpHead.Request r;
        try {
            r = head.line(b.toString(StandardCharsets.ISO_8859_1));
        } catch (HttpHead.Refusal e) {
            service.badRequest();
            if (e.status() != 0) {
                respond(e.status(), null, e.getMessage(), false);
            }
            close();
            return;
        }
        if (r == null) {
            return;
        }
        if (r.contentLength() == 0) {
            request(r, Buffer.buffer());
        } else {
            parser.fixedSizeMode(r.contentLength());
            parser.handler(body -> request(r, body));
        }
    }

    private void request(HttpHead.Request head, Buffer body) {
        service.vertx().cancelTimer(headTimer);
        String method = head.method();
        String path = head.path();
        boolean keepAlive = head.keepAlive();
        // Ready for the next request (handled after this one answers).
        parser.delimitedMode("\r\n");
        parser.handler(this::headerLine);
        socket.pause();
        Username user = user(head.header("authorization"));
        String agent = head.headers().getOrDefault("user-agent", "");
        RpcRequest rpc;
        try {
            rpc = RpcRequest.parse(body.toString(StandardCharsets.UTF_8));
        } catch (RpcRequest.Invalid e) {
            rpcError(null, -32700, e.getMessage(), keepAlive);
            return;
        }
        if (!path.equals("/") && !path.startsWith("/long-polling")) {
            // Scanners and old front-ends read the reference's JSON endpoints on the worker port: ask the web server.
            if (method.equals("GET") && service.web() != null && path.length() <= 2048) {
                io.vertx.core.Future<GetworkService.WebReply> reply;
                try {
                    reply = service.web().apply(path);
                } catch (RuntimeException e) {
                    reply = io.vertx.core.Future.failedFuture(e);
                }
                reply.onComplete(ar -> {
                    if (ar.succeeded()) {
                        respondRaw(ar.result().status(), ar.result().contentType(), ar.result().body(), null, keepAlive);
                    } else {
                        respond(503, null, "web server unavailable", keepAlive);
                    }
                });
                return;
            }
            respond(404, null, "not found", keepAlive);
            return;
        }
        if (!rpc.method().equals("getwork")) {
            rpcError(rpc.id(), -32601, "Method not found", keepAlive);
            return;
        }
        String clientKey = ip + "|" + head.headers().getOrDefault("authorization", "");
        final Object rid = rpc.id();
        if (rpc.submittedData() != null) {
            GetworkService.Verdict v = service.submit(rpc.submittedData(), agent);
            respond(200, new JsonObject().put("result", v.accepted()).putNull("error").put("id", rid).encode(), v.reason(), keepAlive);
            return;
        }
        if (path.startsWith("/long-polling") && !service.missedWork(clientKey)) {
            long[] timer = {-1};
            GetworkService.Waiter w = new GetworkService.Waiter() {
                private boolean done; // new work and the timer may both release it: answer once

                @Override
                public void release() {
                    context.runOnContext(x -> {
                        if (done) {
                            return;
                        }
                        done = true;
                        service.vertx().cancelTimer(timer[0]);
                        onClose = null;
                        if (!closed) {
                            work(rid, user, agent, clientKey, keepAlive);
                        }
                    });
                }
            };
            if (!service.hold(ip, w)) {
                rpcError(rid, -32603, "too many long polls from this address", keepAlive);
                return;
            }
            timer[0] = service.vertx().setTimer(GetworkService.LONG_POLL_MAX_MS, t -> {
                service.forget(ip, w);
                w.release();
            });
            onClose = () -> {
                service.vertx().cancelTimer(timer[0]);
                service.forget(ip, w);
            };
            return;
        }
        work(rid, user, agent, clientKey, keepAlive);
    }

    private void work(Object id, Username user, String agent, String clientKey, boolean keepAlive) {
        service.submissions().node().job(user).onComplete(ar -> {
            if (closed) {
                return;
            }
            if (ar.failed()) {
                String msg = ar.cause() instanceof NotReadyException ? ar.cause().getMessage() : "internal error";
                rpcError(id, -12345, msg, keepAlive);
                return;
            }
            Job job = ar.result();
            service.saw(clientKey, job.generation());
            JsonObject result = service.issue(job, user);
            respond(200, new JsonObject().put("result", result).putNull("error").put("id", id).encode(), null, keepAlive);
        });
    }

    private void rpcError(Object id, int code, String message, boolean keepAlive) {
        respond(200, new JsonObject().putNull("result").put("error", new JsonObject().put("code", code).put("message", message)
                .putNull("data")).put("id", id).encode(), null, keepAlive);
    }

    private void respond(int status, String json, String rejectReason, boolean keepAlive) {
        if (closed) {
            return;
        }
        byte[] body = (json == null ? "{\"error\":\"" + (rejectReason == null ? "" : rejectReason) + "\"}" : json)
                .getBytes(StandardCharsets.UTF_8);
        respondRaw(status, "application/json", Buffer.buffer(body), json != null ? rejectReason : null, keepAlive);
    }

    private void respondRaw(int status, String contentType, Buffer body, String rejectReason, boolean keepAlive) {
        if (closed) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("HTTP/1.1 ").append(status).append(reason(status)).append("\r\n");
        sb.append("Content-Type: ").append(contentType).append("\r\n");
        sb.append("Content-Length: ").append(body.length()).append("\r\n");
        sb.append("Access-Control-Allow-Origin: *\r\n");
        sb.append("X-Long-Polling: /long-polling\r\n");
        sb.append("X-Roll-NTime: expire=").append(GetworkService.ROLL_NTIME_SECONDS).append("\r\n");
        sb.append("X-Is-P2Pool: true\r\n");
        if (service.stratumUrl() != null) {
            sb.append("X-Stratum: ").append(service.stratumUrl()).append("\r\n");
        }
        if (rejectReason != null) {
            sb.append("X-Reject-Reason: ").append(rejectReason).append("\r\n");
        }
        sb.append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
        sb.append("\r\n");
        socket.write(Buffer.buffer(sb.toString()).appendBuffer(body));
        if (socket.writeQueueFull()) {
            socket.pause();
            socket.drainHandler(v -> next(keepAlive)); // when the client has read what we sent
            return;
        }
        next(keepAlive);
    }

    /** After an answer: ready for the next request on a kept-alive connection, else done. */
    private void next(boolean keepAlive) {
        if (keepAlive) {
            armHeadTimer();
            socket.resume();
        } else {
            socket.end();
            closed = true;
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> " OK";
            case 400 -> " Bad Request";
            case 404 -> " Not Found";
            case 405 -> " Method Not Allowed";
            case 413 -> " Payload Too Large";
            case 505 -> " HTTP Version Not Supported";
            default -> " Error";
        };
    }

    static Username user(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Username.parse("", "");
        }
        try {
            String up = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = up.indexOf(':');
            return colon < 0 ? Username.parse(up, "") : Username.parse(up.substring(0, colon), up.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return Username.parse("", "");
        }
    }
}
