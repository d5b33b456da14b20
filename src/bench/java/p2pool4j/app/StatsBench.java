package p2pool4j.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import p2pool4j.stats.Database;
import p2pool4j.stats.LiveStats;
import p2pool4j.stats.Rollup;
import p2pool4j.stats.StatsQueries;
import p2pool4j.stats.StatsWriter;
import p2pool4j.web.NodeView;
import p2pool4j.web.WebServer;
import p2pool4j.work.SubmitEvent;
import p2pool4j.work.SubmitResult;

/**
 * {@code p2pool4j bench stats}: the statistics side under load, in a temp directory. Prints
 * (1) stats writer throughput: events/s folded by several threads with the 1 s flush running, and
 * the flush times; (2) database bytes per worker-day, as minute buckets and after the hourly
 * roll-up; (3) web API latency p50/p99 with 1,000 workers, over loopback. Figures, not pass/fail.
 */
final class StatsBench {
    private StatsBench() {}

    static int run(String[] args, PrintStream out) throws Exception {
        int workers = 1000;
        int seconds = 5;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--workers")) {
                workers = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("--seconds")) {
                seconds = Integer.parseInt(args[i + 1]);
            }
        }
        Path dir = Files.createTempDirectory("p2pool4j-statsbench");
        try {
            writerThroughput(dir.resolve("writer"), workers, seconds, out);
            sizePerWorkerDay(dir.resolve("size"), Math.min(workers, 200), out);
            apiLatency(dir.resolve("api"), workers, out);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private static SubmitEvent event(String worker, long t, SubmitResult r) {
        return new SubmitEvent(worker, "addr", 1024, r, false, false, false, 2048, "bench", t);
    }

    private static void writerThroughput(Path dir, int workers, int seconds, PrintStream out) throws Exception {
        try (Database db = Database.open(dir); StatsWriter w = new StatsWriter(db)) {
            int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
            AtomicLong events = new AtomicLong();
            long start = System.nanoTime();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            for (int t = 0; t < threads; t++) {
                final int seed = t;
                pool.submit(() -> {
                    long n = 0;
                    while (System.nanoTime() < end) { // bounded by the clock
                        for (int i = 0; i < 1000; i++, n++) {
                            w.accept(event("rig" + ((n * 7 + seed) % workers), System.currentTimeMillis(),
                                    n % 50 == 0 ? SubmitResult.STALE : SubmitResult.ACCEPTED));
                        }
                        events.addAndGet(1000);
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(seconds + 30, TimeUnit.SECONDS);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long f0 = System.nanoTime();
            w.flush().get();
            double lastFlushMs = (System.nanoTime() - f0) / 1e6;
            out.printf("stats writer: %,d events in %.1f s from %d threads over %d workers = %,.0f events/s (1 s flush running; last flush %.1f ms)%n",
                    events.get(), elapsed, threads, workers, events.get() / elapsed, lastFlushMs);
        }
    }

    private static void sizePerWorkerDay(Path dir, int workers, PrintStream out) throws Exception {
        long day0 = System.currentTimeMillis() - 5 * 86_400_000L; // five days ago: old enough to roll up
        try (Database db = Database.open(dir)) {
            try (StatsWriter w = new StatsWriter(db)) {
                for (int m = 0; m < 1440; m++) { // one event per worker and minute: every minute bucket exists
                    for (int k = 0; k < workers; k++) {
                        w.accept(event("rig-" + k, day0 + m * 60_000L, SubmitResult.ACCEPTED));
                    }
                    if (m % 60 == 59) {
                        w.flush().get();
                    }
                }
            }
            long minutes = size(db, dir);
            Rollup.run(db, System.currentTimeMillis(), 90).get();
            long hours = size(db, dir);
            out.printf("database: %,d B per worker-day as minute buckets, %,d B per worker-day after the hourly roll-up (%d workers, VACUUMed)%n",
                    minutes / workers, hours / workers, workers);
        }
    }

    private static long size(Database db, Path dir) throws Exception {
        db.run(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                s.execute("VACUUM");
            }
            return null;
        }).get();
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db.file()); Statement s = c.createStatement();
                var r = s.executeQuery("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")) {
            return r.next() ? r.getLong(1) : Files.size(db.file());
        }
    }

    private static void apiLatency(Path dir, int workers, PrintStream out) throws Exception {
        Vertx vertx = Vertx.vertx();
        try (Database db = Database.open(dir)) {
            LiveStats live = new LiveStats();
            long now = System.currentTimeMillis();
            try (StatsWriter w = new StatsWriter(db)) {
                for (int m = 0; m < 60; m++) {
                    for (int k = 0; k < workers; k++) {
                        SubmitEvent e = event("rig-" + k, now - m * 60_000L, SubmitResult.ACCEPTED);
                        w.accept(e);
                        if (m < 10) {
                            live.accept(e);
                        }
                    }
                }
            }
            NodeView view = new NodeView() {
                @Override
                public Future<JsonObject> status() {
                    return Future.succeededFuture(new JsonObject().put("pool", new JsonObject()));
                }

                @Override
                public Future<JsonArray> peers() {
                    return Future.succeededFuture(new JsonArray());
                }

                @Override
                public Future<JsonArray> bans() {
                    return Future.succeededFuture(new JsonArray());
                }

                @Override
                public Future<JsonObject> chain() {
                    return Future.succeededFuture(new JsonObject());
                }

                @Override
                public Future<JsonObject> share(String h) {
                    return Future.succeededFuture(null);
                }

                @Override
                public Future<Buffer> shareData(String h) {
                    return Future.succeededFuture(null);
                }
            };
            int port = new WebServer(vertx, new WebServer.Sources(live, new StatsQueries(db), view, "regtest", () -> "", null)).start("127.0.0.1", 0)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (String path : new String[] {"/api/v1/workers", "/api/v1/workers/rig-7/history?range=24h", "/api/v1/history?range=7d",
                "/local_stats"}) {
                int n = 200;
                double[] ms = new double[n];
                int bytes = 0;
                for (int i = -20; i < n; i++) { // 20 warm-up requests, then n timed ones, one at a time
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(path + " -> " + r.statusCode());
                    }
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                        bytes = r.body().length();
                    }
                }
                Arrays.sort(ms);
                out.printf("api %-42s with %d workers: p50 %.1f ms, p99 %.1f ms (%,d B)%n", path, workers, ms[n / 2], ms[n * 99 / 100], bytes);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

}
