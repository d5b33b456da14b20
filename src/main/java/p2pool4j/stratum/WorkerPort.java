package p2pool4j.stratum;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.getwork.GetworkService;
import p2pool4j.work.Submissions;

/**
 * The worker port (Stratum v1 + getwork on one TCP port): deploys {@code instances}
 * {@link WorkerPortVerticle}s sharing the port, each with its own event loop and sessions, and
 * holds the little they share: the per-IP connection limits, the extranonce1 counter, the getwork
 * service (a rig's getwork requests may land on any instance) and the counters. Its figures
 * (sessions, connections per worker) are read from any thread.
 */
public final class WorkerPort {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPort.class);

    /** Miner-facing settings. */
    /** @param tls the certificate for Stratum/getwork over TLS on this port, or null for plain TCP */
    public record Settings(String host, int port, int maxSessionsPerIp, int maxSessions, int instances, double startDifficulty,
            double minDifficulty, double maxDifficulty, double targetSeconds, String advertisedStratumUrl,
            io.vertx.core.net.KeyCertOptions tls) {
        public Settings(String host, int port, int maxSessionsPerIp, int maxSessions, int instances, double startDifficulty,
                double minDifficulty, double maxDifficulty, double targetSeconds, String advertisedStratumUrl) {
            this(host, port, maxSessionsPerIp, maxSessions, instances, startDifficulty, minDifficulty, maxDifficulty, targetSeconds,
                    advertisedStratumUrl, null);
        }

        /** The same miners' settings on another port, over TLS. */
        public Settings overTls(int tlsPort, io.vertx.core.net.KeyCertOptions certificate) {
            return new Settings(host, tlsPort, maxSessionsPerIp, maxSessions, instances, startDifficulty, minDifficulty, maxDifficulty,
                    targetSeconds, advertisedStratumUrl, certificate);
        }
    }

    private final Vertx vertx;
    private final Submissions submissions;
    private final Settings settings;
    private final GetworkService getwork;
    private final IpLimiter limiter;
    private final AtomicInteger extranonceCounter = new AtomicInteger((int) (System.nanoTime() & 0xffff) << 16);
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final List<WorkerPortVerticle> instances = new CopyOnWriteArrayList<>();
    private final List<String> deployments = new CopyOnWriteArrayList<>();
    private volatile int boundPort;

    public WorkerPort(Vertx vertx, Submissions submissions, Settings settings) {
        this.vertx = vertx;
        this.submissions = submissions;
        this.settings = settings;
        this.getwork = new GetworkService(vertx, submissions, settings.advertisedStratumUrl(), settings.startDifficulty(),
                settings.minDifficulty(), settings.maxDifficulty(), settings.targetSeconds());
        this.limiter = new IpLimiter(settings.maxSessionsPerIp(), settings.maxSessions());
    }

    Submissions submissions() {
        return submissions;
    }

    public Settings settings() {
        return settings;
    }

    IpLimiter limiter() {
        return limiter;
    }

    byte[] nextExtranonce1() {
        int e1 = extranonceCounter.getAndIncrement();
        return new byte[] {(byte) (e1 >>> 24), (byte) (e1 >>> 16), (byte) (e1 >>> 8), (byte) e1};
    }

    void count(String what) {
        counters.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    private volatile java.util.function.LongConsumer submitTimer = nanos -> { };

    /**
     * Where each Stratum submit's time on the node goes (nanoseconds from its line leaving the parser
     * to its reply written to the socket): the metrics' histogram. Called on every session's loop.
     */
    public void submitTimer(java.util.function.LongConsumer timer) {
        submitTimer = timer;
    }

    void submitTook(long nanos) {
        submitTimer.accept(nanos);
    }

    public Map<String, Long> counters() {
        Map<String, Long> out = new HashMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** The getwork side of this port (HTTP requests land there). */
    public GetworkService getwork() {
        return getwork;
    }

    List<WorkerPortVerticle> instances() {
        return instances;
    }

    /** Authorized Stratum sessions per worker key, as of the last 5-second tick of each instance. */
    public Map<String, Integer> workerConnections() {
        Map<String, Integer> out = new HashMap<>();
        for (WorkerPortVerticle v : instances) {
            v.workerConnections().forEach((k, n) -> out.merge(k, n, Integer::sum));
        }
        return out;
    }

    /** How long the last new work took from the node's announcement to the last session written to, over all loops (s). */
    public double lastFanoutSeconds() {
        long max = 0;
        for (WorkerPortVerticle v : instances) {
            max = Math.max(max, v.lastFanoutNanos());
        }
        return max / 1e9;
    }

    /** A worker's live Stratum sessions over all instances, answered on the caller's context. */
    public Future<List<SessionInfo>> sessions(String workerKey) {
        List<Future<List<SessionInfo>>> parts = new ArrayList<>();
        for (WorkerPortVerticle v : instances) {
            parts.add(v.sessions(workerKey));
        }
        return Future.all(parts).map(all -> {
            List<SessionInfo> out = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                out.addAll(all.<List<SessionInfo>>resultAt(i));
            }
            return out;
        });
    }

    /** Live Stratum sessions over all instances. */
    public int sessionCount() {
        int n = 0;
        for (WorkerPortVerticle v : instances) {
            n += v.sessionCount();
        }
        return n;
    }

    /** Open connections of any protocol (each holds a slot of the per-IP limit). */
    public int connections() {
        return limiter.total();
    }

    public int port() {
        return boundPort;
    }

    /**
     * Deploys the instances as one deployment (Vert.x shares a port only among the instances of
     * one deployment, and port 0 not at all); answers the bound port. Port 0 (tests, the load
     * harness) takes a free port first and tries again should another process take it meanwhile.
     */
    public Future<Integer> start() {
        return settings.port() != 0 ? start(settings.port()) : startOnFreePort(5);
    }

    private Future<Integer> startOnFreePort(int tries) {
        int free;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(settings.host()))) {
            free = probe.getLocalPort();
        } catch (java.io.IOException e) {
            return Future.failedFuture("cannot listen for miners on " + settings.host() + ": " + e.getMessage());
        }
        return start(free).recover(err -> tries > 1 ? startOnFreePort(tries - 1) : Future.failedFuture(err));
    }

    private Future<Integer> start(int port) {
        int n = Math.max(1, settings.instances());
        instances.clear();
        return vertx.deployVerticle(() -> {
            WorkerPortVerticle v = new WorkerPortVerticle(this, port);
            instances.add(v);
            return v;
        }, new DeploymentOptions().setInstances(n)).compose(id -> {
            deployments.add(id);
            java.util.Set<Integer> ports = new java.util.HashSet<>();
            instances.forEach(v -> ports.add(v.actualPort()));
            if (ports.size() != 1) {
                return Future.failedFuture("worker-port instances listen on different ports: " + ports);
            }
            boundPort = ports.iterator().next();
            LOG.info("miners: Stratum and getwork on {}:{} ({} event loops, {})", settings.host(), boundPort, n,
                    vertx.isNativeTransportEnabled() ? "epoll" : "NIO: " + vertx.unavailableNativeTransportCause());
            return Future.succeededFuture(boundPort);
        });
    }

    /** Asks every Stratum session to reconnect (a planned stop), then closes the listeners. */
    public Future<Void> stop() {
        getwork.stop();
        List<Future<Void>> all = new ArrayList<>();
        for (String id : deployments) {
            all.add(vertx.undeploy(id));
        }
        deployments.clear();
        instances.clear();
        return Future.join(all).mapEmpty();
    }
}
