package p2pool4j.app;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to every configured receiver, each in order and once: one request at a time
 * per receiver, the head retried with backoff (1 s doubling to 60 s, {@value #ATTEMPTS} attempts)
 * until it answers 2xx. Never blocks anything: alerts are queued on the sender's own context
 * ({@value #QUEUE} per receiver) and a receiver that is down costs only counted failures. At most
 * {@value #PER_HOUR} alerts an hour per receiver; more are counted as suppressed, not sent.
 */
final class AlertSender {
    private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
    static final int QUEUE = 1_000;
    static final int ATTEMPTS = 8;
    static final int PER_HOUR = 60;
    static final long TIMEOUT_MS = 10_000;

    private final Vertx vertx;
    private final Context context;
    private final HttpClient http;
    private final List<Receiver> receivers = new ArrayList<>();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong suppressed = new AtomicLong();

    private final class Receiver {
        final Alert.Target target;
        final ArrayDeque<Alert> queue = new ArrayDeque<>();
        final ArrayDeque<Long> recent = new ArrayDeque<>();
        boolean busy;

        Receiver(Alert.Target target) {
            this.target = target;
        }
    }

    private final long firstBackoffMs;

    AlertSender(Vertx vertx, List<Alert.Target> targets) {
        this(vertx, targets, 1_000);
    }

    /** @param firstBackoffMs the first retry's delay, doubling up to 60 s (tests shorten it) */
    AlertSender(Vertx vertx, List<Alert.Target> targets, long firstBackoffMs) {
        this.firstBackoffMs = firstBackoffMs;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS).setKeepAlive(false));
        targets.forEach(t -> receivers.add(new Receiver(t)));
    }

    boolean enabled() {
        return !receivers.isEmpty();
    }

    /** Any thread. */
    void publish(Alert a) {
        if (receivers.isEmpty()) {
            return;
        }
        context.runOnContext(v -> {
            long now = System.currentTimeMillis();
            for (Receiver r : receivers) {
                while (!r.recent.isEmpty() && now - r.recent.peekFirst() > 3_600_000) {
                    r.recent.removeFirst();
                }
                if (r.recent.size() >= PER_HOUR || r.queue.size() >= QUEUE) {
                    suppressed.incrementAndGet();
                    continue;
                }
                r.recent.addLast(now);
                r.queue.addLast(a);
                next(r);
            }
        });
    }

    private void next(Receiver r) {
        if (r.busy || r.queue.isEmpty()) {
            return;
        }
        r.busy = true;
        deliver(r, r.queue.peekFirst(), 1);
    }

    private void deliver(Receiver r, Alert a, int attempt) {
        String[] body = a.body(r.target.format());
        RequestOptions req = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(r.target.url().toString())
                .setTimeout(TIMEOUT_MS).putHeader("Content-Type", body[1]).putHeader("User-Agent", Cli.VERSION);
        if (r.target.format().equals("ntfy")) {
            req.putHeader("Title", a.title()).putHeader("Tags", a.event());
        }
        http.request(req).compose(q -> q.send(body[0])).compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result() / 100 == 2) {
                        sent.incrementAndGet();
                        done(r);
                        return;
                    }
                    String why = ar.succeeded() ? "HTTP " + ar.result() : String.valueOf(ar.cause().getMessage());
                    if (attempt >= ATTEMPTS) {
                        failed.incrementAndGet();
                        LOG.warn("alert '{}' not delivered to {} after {} attempts: {}", a.event(), r.target.safeName(), attempt, why);
                        done(r);
                        return;
                    }
                    long backoff = Math.min(60_000, firstBackoffMs << (attempt - 1));
                    LOG.debug("alert '{}' to {} failed ({}), again in {} ms", a.event(), r.target.safeName(), why, backoff);
                    vertx.setTimer(backoff, id -> deliver(r, a, attempt + 1));
                });
    }

    private void done(Receiver r) {
        r.queue.pollFirst();
        r.busy = false;
        next(r);
    }

    void close() {
        http.close();
    }
}
