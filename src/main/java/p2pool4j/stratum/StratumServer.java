package p2pool4j.stratum;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.getwork.GetworkConnection;
import p2pool4j.getwork.GetworkService;
import p2pool4j.work.Node;
import p2pool4j.work.Submissions;

/**
 * The worker port: one TCP listener for every rig. The first byte of a connection decides its
 * protocol, as in the reference: '{' is Stratum, anything else HTTP (getwork with long polling).
 * Sessions are capped per IP. New work from the node reaches every session at once.
 */
public final class StratumServer {
    private static final Logger LOG = LoggerFactory.getLogger(StratumServer.class);

    /** Miner-facing settings. */
    public record Settings(String host, int port, int maxSessionsPerIp, double startDifficulty, double minDifficulty,
            double maxDifficulty, double targetSeconds, String advertisedStratumUrl) {}

    private final Vertx vertx;
    private final Submissions submissions;
    private final Settings settings;
    private final GetworkService getwork;
    private final Set<StratumSession> sessions = new LinkedHashSet<>();
    private volatile Map<String, Integer> workerConnections = Map.of();
    private final Map<String, Integer> perIp = new HashMap<>();
    private final AtomicInteger extranonceCounter = new AtomicInteger((int) (System.nanoTime() & 0xffff) << 16);
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private Context context;
    private NetServer server;
    private long ticker = -1;

    public StratumServer(Vertx vertx, Submissions submissions, Settings settings) {
        this.vertx = vertx;
        this.submissions = submissions;
        this.settings = settings;
        this.getwork = new GetworkService(vertx, submissions, settings.advertisedStratumUrl());
    }

    Node node() {
        return submissions.node();
    }

    Submissions submissions() {
        return submissions;
    }

    double startDifficulty() {
        return settings.startDifficulty();
    }

    double minDifficulty() {
        return settings.minDifficulty();
    }

    double maxDifficulty() {
        return settings.maxDifficulty();
    }

    double targetSeconds() {
        return settings.targetSeconds();
    }

    void count(String what) {
        counters.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    public Map<String, Long> counters() {
        Map<String, Long> out = new HashMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** The getwork side of this port (HTTP requests land there). */
    public p2pool4j.getwork.GetworkService getwork() {
        return getwork;
    }

    /** Authorized sessions per worker key, as of the last 5-second tick (any thread). */
    public Map<String, Integer> workerConnections() {
        return workerConnections;
    }

    /** Live Stratum sessions (approximate, any thread). */
    public int sessionCount() {
        return sessions.size();
    }

    public Future<Integer> start() {
        context = vertx.getOrCreateContext();
        return Future.<Integer>future(p -> context.runOnContext(v -> {
            server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setIdleTimeout(600)
                    .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS));
            server.connectHandler(this::connected);
            submissions.node().onNewWork(w -> context.runOnContext(x -> {
                for (StratumSession s : sessions) {
                    s.sendJob(w.newBlock());
                }
                getwork.newWork();
            }));
            ticker = vertx.setPeriodic(5_000, id -> {
                sessions.forEach(StratumSession::tick);
                Map<String, Integer> perWorker = new HashMap<>();
                for (StratumSession s : sessions) {
                    if (s.user() != null) {
                        perWorker.merge(s.user().workerKey(), 1, Integer::sum);
                    }
                }
                workerConnections = Map.copyOf(perWorker);
            });
            server.listen(settings.port(), settings.host()).onComplete(ar -> {
                if (ar.failed()) {
                    p.fail("cannot listen for miners on " + settings.host() + ":" + settings.port() + ": " + ar.cause().getMessage());
                } else {
                    LOG.info("miners: Stratum and getwork on {}:{}", settings.host(), ar.result().actualPort());
                    p.complete(ar.result().actualPort());
                }
            });
        }));
    }

    private void connected(NetSocket socket) {
        String ip = socket.remoteAddress().hostAddress();
        int n = perIp.getOrDefault(ip, 0);
        if (n >= settings.maxSessionsPerIp()) {
            count("refused_per_ip");
            socket.close();
            return;
        }
        perIp.put(ip, n + 1);
        socket.closeHandler(v -> release(ip));
        socket.handler(first -> {
            int i = 0;
            while (i < first.length() && Character.isWhitespace(first.getByte(i))) {
                i++;
            }
            if (i < first.length() && first.getByte(i) == '{') {
                int e1 = extranonceCounter.getAndIncrement();
                byte[] extranonce1 = {(byte) (e1 >>> 24), (byte) (e1 >>> 16), (byte) (e1 >>> 8), (byte) e1};
                StratumSession s = new StratumSession(this, socket, ip, extranonce1);
                sessions.add(s);
                s.start(first);
            } else if (i < first.length()) {
                new GetworkConnection(getwork, socket, ip).start(first);
            }
        });
    }

    private void release(String ip) {
        perIp.computeIfPresent(ip, (k, v) -> v <= 1 ? null : v - 1);
    }

    void closed(StratumSession s) {
        sessions.remove(s);
    }

    /** Asks every Stratum session to reconnect (a planned stop), then closes the listener. */
    public Future<Void> stop() {
        if (context == null) {
            return Future.succeededFuture();
        }
        return Future.<Void>future(p -> context.runOnContext(v -> {
            vertx.cancelTimer(ticker);
            sessions.forEach(StratumSession::reconnect);
            getwork.stop();
            server.close().onComplete(ar -> p.complete());
        }));
    }
}
