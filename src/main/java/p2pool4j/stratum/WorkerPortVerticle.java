package p2pool4j.stratum;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import p2pool4j.getwork.GetworkConnection;
import p2pool4j.work.Job;
import p2pool4j.work.Node;
import p2pool4j.work.NodeSnapshot;
import p2pool4j.work.Submissions;

/**
 * One instance of the worker port, on its own event loop; {@link WorkerPort} deploys one per core,
 * all listening on the same port (Vert.x hands each new connection to one of them). The first
 * byte of a connection decides its protocol, as in the reference: '{' is Stratum, anything else
 * HTTP (getwork with long polling). Each instance owns its sessions; new work from the node
 * reaches them on this loop, and each job's notify line is encoded once here for all of them.
 */
public final class WorkerPortVerticle extends VerticleBase {
    /** How long a new connection may stay silent. */
    static final long FIRST_BYTE_TIMEOUT_MS = 30_000;

    private final WorkerPort port;
    private final int listenPort;
    private final Set<StratumSession> sessions = new LinkedHashSet<>();
    private volatile Map<String, Integer> workerConnections = Map.of();
    private volatile int sessionCount;
    /** This generation's jobs as notify lines (identity: one entry per Job object the node built). */
    private final Map<Job, EncodedJob> encoded = new IdentityHashMap<>();
    private long encodedGeneration = -1;
    private int jobIds;
    private NetServer server;
    private long ticker = -1;
    private boolean stopping;
    private volatile int actualPort;
    private volatile long lastFanoutNanos;

    WorkerPortVerticle(WorkerPort port, int listenPort) {
        this.port = port;
        this.listenPort = listenPort;
    }

    Node node() {
        return port.submissions().node();
    }

    Submissions submissions() {
        return port.submissions();
    }

    WorkerPort.Settings settings() {
        return port.settings();
    }

    void count(String what) {
        port.count(what);
    }

    void submitTook(long nanos) {
        port.submitTook(nanos);
    }

    Map<String, Integer> workerConnections() {
        return workerConnections;
    }

    long lastFanoutNanos() {
        return lastFanoutNanos;
    }

    int actualPort() {
        return actualPort;
    }

    int sessionCount() {
        return sessionCount;
    }

    @Override
    public Future<Integer> start() {
        NetServerOptions options = new NetServerOptions().setTcpNoDelay(true).setIdleTimeout(600)
                .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
        if (settings().tls() != null) {
            // A handshake that does not finish in 30 s holds a slot like a silent connection: dropped.
            options.setSsl(true).setKeyCertOptions(settings().tls()).setSslHandshakeTimeout(30)
                    .setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
        }
        server = vertx.createNetServer(options);
        server.connectHandler(this::connected);
        node().onNewWork(this::newWork); // subscribed here: delivered on this instance's loop
        ticker = vertx.setPeriodic(5_000, id -> tick());
        String host = settings().host();
        return server.listen(listenPort, host).recover(err -> Future.failedFuture(
                "cannot listen for miners on " + host + ":" + listenPort + ": " + err.getMessage()))
                .map(s -> actualPort = s.actualPort());
    }

    private void newWork(NodeSnapshot s) {
        if (stopping) {
            return;
        }
        for (StratumSession session : sessions) {
            session.sendJob(s.newBlock());
        }
        // From the node's announcement to the last of this loop's sessions written to: queueing included.
        lastFanoutNanos = System.nanoTime() - s.announcedNanos();
        port.getwork().newWork(s.generation());
    }

    private void tick() {
        Map<String, Integer> perWorker = new HashMap<>();
        for (StratumSession s : sessions) {
            s.tick();
            if (s.user() != null) {
                perWorker.merge(s.user().workerKey(), 1, Integer::sum);
            }
        }
        workerConnections = Map.copyOf(perWorker);
    }

    /** This instance's live sessions of one worker (taken on its loop). */
    Future<java.util.List<SessionInfo>> sessions(String workerKey) {
        return p2pool4j.util.Hop.to(context, () -> {
            java.util.List<SessionInfo> out = new java.util.ArrayList<>();
            for (StratumSession s : sessions) {
                if (s.user() != null && s.user().workerKey().equals(workerKey) && out.size() < 1_000) {
                    out.add(s.info(settings().tls() != null));
                }
            }
            return out;
        });
    }

    /** Each session's remembered submits and jobs (taken on this instance's loop): for the memory-bound test. */
    Future<java.util.List<int[]>> sessionMemory() {
        return p2pool4j.util.Hop.to(context, () -> {
            java.util.List<int[]> out = new java.util.ArrayList<>();
            for (StratumSession s : sessions) {
                out.add(new int[] {s.rememberedSubmits(), s.rememberedJobs()});
            }
            return out;
        });
    }

    /** The notify lines of a job, encoded once for every session of this instance. */
    EncodedJob encode(Job job) {
        if (job.generation() != encodedGeneration) {
            encoded.clear();
            encodedGeneration = job.generation();
        }
        return encoded.computeIfAbsent(job, j -> EncodedJob.of(j, Integer.toHexString(++jobIds)));
    }

    private void connected(NetSocket socket) {
        String ip = socket.remoteAddress().hostAddress();
        if (stopping || !port.limiter().acquire(ip)) {
            count("refused_limit");
            socket.close();
            return;
        }
        // A connection that says nothing holds a slot: it gets FIRST_BYTE_TIMEOUT_MS to speak.
        long silent = vertx.setTimer(FIRST_BYTE_TIMEOUT_MS, id -> {
            count("closed:silent");
            socket.close();
        });
        // The only close handler of this socket: it gives the slot back, then tells the connection.
        Object[] owner = new Object[1];
        socket.closeHandler(v -> {
            vertx.cancelTimer(silent);
            port.limiter().release(ip);
            if (owner[0] instanceof StratumSession s) {
                sessions.remove(s);
                sessionCount = sessions.size();
                s.socketClosed();
            } else if (owner[0] instanceof GetworkConnection g) {
                g.socketClosed();
            }
        });
        socket.handler(first -> {
            int i = 0;
            while (i < first.length() && Character.isWhitespace(first.getByte(i))) {
                i++;
            }
            if (i >= first.length()) {
                return; // white space says nothing yet: the silence timer runs on
            }
            vertx.cancelTimer(silent);
            if (first.getByte(i) == '{') {
                StratumSession s = new StratumSession(this, socket, ip, port.nextExtranonce1());
                owner[0] = s;
                sessions.add(s);
                sessionCount = sessions.size();
                s.start(first);
            } else {
                GetworkConnection g = new GetworkConnection(port.getwork(), socket, ip);
                owner[0] = g;
                g.start(first);
            }
        });
    }

    /** Asks every Stratum session to reconnect (a planned stop), then closes the listener. */
    @Override
    public Future<?> stop() {
        stopping = true;
        vertx.cancelTimer(ticker);
        sessions.forEach(StratumSession::reconnect);
        return server == null ? Future.succeededFuture() : server.close();
    }
}
