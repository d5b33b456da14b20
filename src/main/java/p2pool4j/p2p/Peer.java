package p2pool4j.p2p;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import p2pool4j.bitcoin.FrameCodec;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.net.FrameReader;

/**
 * One P2Pool connection (protocol spec 2-4): frames, the version handshake in both directions,
 * the 10 s handshake and 100 s idle timeouts, our pings, and share requests matched to replies by
 * id with a 15 s timeout. Everything runs on the peer manager's context; decisions about what a
 * message means belong to {@link PeerManager}.
 */
public final class Peer {
    static final long HANDSHAKE_TIMEOUT_MS = 10_000;
    static final long IDLE_TIMEOUT_MS = 100_000;
    static final long REQUEST_TIMEOUT_MS = 15_000;
    /** How long our write queue to a peer may stay full before the peer is dropped. */
    static final long SLOW_READER_MS = 30_000;
    private long fullSince;

    /** Why a connection ends, and what the sender deserves. */
    public enum Verdict { DISCONNECT, BAN, BAN_SHORT }

    private final Vertx vertx;
    private final PeerManager manager;
    private final NetSocket socket;
    private final FrameCodec codec;
    private final boolean incoming;
    private final String ip;
    private final int port;
    private final long connectedAt;
    private final Map<Sha256Hash, Promise<Message.ShareReply>> requests = new HashMap<>();
    private Message.Version version;
    private boolean closed;
    private long handshakeTimer;
    private long idleTimer = -1;
    private long pingTimer = -1;
    long sharesReceived;
    long sharesSent;
    long bytesReceived;
    long bytesSent;

    Peer(Vertx vertx, PeerManager manager, NetSocket socket, FrameCodec codec, boolean incoming, String ip, int port) {
        this.vertx = vertx;
        this.manager = manager;
        this.socket = socket;
        this.codec = codec;
        this.incoming = incoming;
        this.ip = ip;
        this.port = port;
        this.connectedAt = System.currentTimeMillis();
    }

    void start(Message.Version ours) {
        FrameReader reader = new FrameReader(codec, this::onFrame, err -> {
            if (err.problem() == FrameCodec.Problem.BAD_CHECKSUM) {
                end(Verdict.BAN, "bad checksum");
            } else {
                end(Verdict.DISCONNECT, err.getMessage());
            }
        });
        socket.handler(buf -> {
            bytesReceived += buf.length();
            resetIdle();
            reader.handle(buf);
        });
        socket.closeHandler(v -> end(Verdict.DISCONNECT, null));
        socket.exceptionHandler(e -> end(Verdict.DISCONNECT, e.getMessage()));
        handshakeTimer = vertx.setTimer(HANDSHAKE_TIMEOUT_MS, id -> end(Verdict.DISCONNECT, "no version within 10 s"));
        send(ours);
    }

    public String ip() {
        return ip;
    }

    public int port() {
        return port;
    }

    public boolean incoming() {
        return incoming;
    }

    public boolean established() {
        return version != null && !closed;
    }

    public Message.Version version() {
        return version;
    }

    public PeerInfo info() {
        return new PeerInfo(ip, port, incoming, version == null ? 0 : version.version(),
                version == null ? null : version.subVersion(), connectedAt, sharesReceived, sharesSent, bytesReceived, bytesSent);
    }

    void send(Message m) {
        if (closed) {
            return;
        }
        if (!socket.writeQueueFull()) {
            fullSince = 0;
        } else if (fullSince == 0) {
            fullSince = System.currentTimeMillis();
        } else if (System.currentTimeMillis() - fullSince > SLOW_READER_MS) {
            // A peer that reads nothing cannot make us queue share after share for it (a big reply may take a while).
            end(Verdict.DISCONNECT, "read nothing of what we sent for " + SLOW_READER_MS / 1000 + " s");
            return;
        }
        byte[] frame = codec.encode(m.command(), MessageCodec.encode(m));
        bytesSent += frame.length;
        socket.write(Buffer.buffer(frame));
    }

    /** Sends a sharereq; the reply or a timeout (which ends the connection) completes the future. */
    Future<Message.ShareReply> request(java.util.List<Sha256Hash> hashes, long parents, java.util.List<Sha256Hash> stops) {
        if (hashes.isEmpty()) {
            return Future.failedFuture("never send an empty sharereq"); // the reference divides by len(hashes)
        }
        byte[] idBytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(idBytes);
        Sha256Hash id = Sha256Hash.wrap(idBytes);
        Promise<Message.ShareReply> p = Promise.promise();
        requests.put(id, p);
        long timer = vertx.setTimer(REQUEST_TIMEOUT_MS, t -> {
            if (requests.remove(id) != null) {
                p.tryFail("share request timed out");
                end(Verdict.DISCONNECT, "share request timed out after 15 s");
            }
        });
        p.future().onComplete(ar -> vertx.cancelTimer(timer));
        send(new Message.ShareReq(id, hashes, parents, stops));
        return p.future();
    }

    private void resetIdle() {
        if (version == null || closed) {
            return;
        }
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
        idleTimer = vertx.setTimer(IDLE_TIMEOUT_MS, id -> end(Verdict.DISCONNECT, "idle for 100 s"));
    }

    private void onFrame(FrameReader.Frame f) {
        if (closed) {
            return;
        }
        Message m;
        try {
            m = MessageCodec.decode(f.command(), f.payload());
        } catch (ParseException e) {
            end(Verdict.DISCONNECT, "malformed " + f.command() + ": " + e.getMessage());
            return;
        }
        if (m == null) {
            return; // unknown command: ignored (forward compatible)
        }
        if (version == null) {
            if (!(m instanceof Message.Version v)) {
                end(Verdict.BAN, "first message was not version");
                return;
            }
            onVersion(v);
            return;
        }
        if (m instanceof Message.Version) {
            end(Verdict.BAN, "more than one version message");
            return;
        }
        if (m instanceof Message.ShareReply reply) {
            Promise<Message.ShareReply> p = requests.remove(reply.id());
            if (p != null) {
                p.tryComplete(reply);
            }
            return;
        }
        manager.onMessage(this, m);
    }

    private void onVersion(Message.Version v) {
        String refusal = manager.accept(this, v);
        if (refusal != null) {
            end(refusal.startsWith("duplicate") ? Verdict.DISCONNECT : Verdict.BAN, refusal);
            return;
        }
        version = v;
        vertx.cancelTimer(handshakeTimer);
        resetIdle();
        pingTimer = vertx.setPeriodic(20_000 + ThreadLocalRandom.current().nextInt(10_000), id -> send(new Message.Ping()));
        send(new Message.Ping());
        manager.onEstablished(this);
    }

    /** Closes the connection once; the manager applies the verdict (ban or not). */
    void end(Verdict verdict, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        vertx.cancelTimer(handshakeTimer);
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
        if (pingTimer >= 0) {
            vertx.cancelTimer(pingTimer);
        }
        for (Promise<Message.ShareReply> p : requests.values()) {
            p.tryFail("connection closed");
        }
        requests.clear();
        socket.close();
        manager.onClosed(this, verdict, reason);
    }

    @Override
    public String toString() {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
