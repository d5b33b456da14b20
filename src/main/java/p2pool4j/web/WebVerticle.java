package p2pool4j.web;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** The web UI, JSON API and /metrics on their own event loop; answers read snapshots, the database and the node's queries. */
public final class WebVerticle extends VerticleBase {
    private final WebServer.Sources sources;
    private final String host;
    private final int port;
    private volatile WebServer server;
    private volatile int actualPort;

    public WebVerticle(WebServer.Sources sources, String host, int port) {
        this.sources = sources;
        this.host = host;
        this.port = port;
    }

    public int actualPort() {
        return actualPort;
    }

    /** Requests answered with a 4xx (any thread). */
    public long badRequests() {
        return server == null ? 0 : server.badRequests();
    }

    @Override
    public Future<?> start() {
        server = new WebServer(vertx, sources);
        return server.start(host, port).onSuccess(p -> actualPort = p);
    }

    @Override
    public Future<?> stop() {
        return server.stop();
    }
}
