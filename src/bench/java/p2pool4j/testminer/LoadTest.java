package p2pool4j.testminer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code p2pool4j loadtest --stratum HOST:PORT [--sessions N] [--rate SUBMITS_PER_S] [--seconds S] [--pid NODE_PID]}:
 * opens N Stratum sessions from this machine, submits random nonces at the given aggregate rate,
 * and prints sessions held, submits/s answered, reply latency p50/p99, the spread with which each
 * new job reaches all sessions (broadcast latency), and the node's RSS. Bounded in count and time;
 * meant for loopback.
 */
public final class LoadTest {
    private static final class Session {
        NetSocket socket;
        String jobId;
        String ntime;
        long en2;
        final Map<Long, Long> pending = new HashMap<>();
        long nextId = 10;
        boolean gotJob;
    }

    private LoadTest() {}

    public static int main(String[] args, PrintStream out, PrintStream err) throws Exception {
        String target = null;
        int sessions = 1000;
        int rate = 1000;
        int seconds = 30;
        String pid = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--stratum" -> target = args[++i];
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Math.min(600, Integer.parseInt(args[++i]));
                case "--pid" -> pid = args[++i];
                default -> {
                    err.println("usage: p2pool4j loadtest --stratum HOST:PORT [--sessions N] [--rate R] [--seconds S] [--pid PID]");
                    return 2;
                }
            }
        }
        if (target == null) {
            err.println("p2pool4j loadtest: --stratum HOST:PORT is required");
            return 2;
        }
        String host = target.substring(0, target.lastIndexOf(':'));
        int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
        Vertx vertx = Vertx.vertx();
        NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true));
        List<Session> live = Collections.synchronizedList(new ArrayList<>());
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Map<String, List<Long>> arrivals = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong sent = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong failedConnects = new AtomicLong();
        long t0 = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            final int n = i;
            Session s = new Session();
            client.connect(port, host).onComplete(ar -> {
                if (ar.failed()) {
                    failedConnects.incrementAndGet();
                    return;
                }
                s.socket = ar.result();
                RecordParser p = RecordParser.newDelimited("\n", line -> {
                    JsonObject m = new JsonObject(line);
                    if ("mining.notify".equals(m.getString("method"))) {
                        JsonArray params = m.getJsonArray("params");
                        s.jobId = params.getString(0);
                        s.ntime = params.getString(7);
                        s.gotJob = true;
                        arrivals.computeIfAbsent(params.getString(1) + params.getString(2).hashCode(),
                                k -> Collections.synchronizedList(new ArrayList<>())).add(System.nanoTime());
                    } else if (m.getValue("id") instanceof Number id && id.longValue() >= 10) {
                        Long at = s.pending.remove(id.longValue());
                        if (at != null) {
                            latencies.add(System.nanoTime() - at);
                            answered.incrementAndGet();
                        }
                    }
                });
                s.socket.handler(p);
                s.socket.write("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"loadtest\"]}\n"
                        + "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"load" + n + "\",\"x\"]}\n");
                live.add(s);
            });
            if (i % 200 == 199) {
                Thread.sleep(50); // pace the connects
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long perTick = Math.max(1, rate / 100);
        long[] cursor = {0};
        long timer = vertx.setPeriodic(10, id -> {
            List<Session> snapshot;
            synchronized (live) {
                snapshot = new ArrayList<>(live);
            }
            if (snapshot.isEmpty()) {
                return;
            }
            for (int k = 0; k < perTick; k++) {
                Session s = snapshot.get((int) (cursor[0]++ % snapshot.size()));
                if (!s.gotJob) {
                    continue;
                }
                long rid = s.nextId++;
                String nonce = String.format("%08x", ThreadLocalRandom.current().nextInt() & 0xffffffffL);
                s.pending.put(rid, System.nanoTime());
                s.socket.write("{\"id\":" + rid + ",\"method\":\"mining.submit\",\"params\":[\"w\",\"" + s.jobId + "\",\""
                        + String.format("%08x", ++s.en2) + "\",\"" + s.ntime + "\",\"" + nonce + "\"]}\n");
                sent.incrementAndGet();
            }
        });
        long startSubmits = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        vertx.cancelTimer(timer);
        double elapsed = (System.nanoTime() - startSubmits) / 1e9;
        long held = live.stream().filter(s -> s.gotJob).count();
        List<Long> lat;
        synchronized (latencies) {
            lat = new ArrayList<>(latencies);
        }
        Collections.sort(lat);
        List<Long> spreads = new ArrayList<>();
        for (List<Long> a : arrivals.values()) {
            List<Long> copy;
            synchronized (a) {
                copy = new ArrayList<>(a);
            }
            if (copy.size() >= held * 9 / 10 && held > 0) {
                long first = Collections.min(copy);
                copy.forEach(x -> spreads.add(x - first));
            }
        }
        Collections.sort(spreads);
        out.printf("sessions: %d requested, %d held (got a job), %d connects failed, set-up %.1f s%n", sessions, held, failedConnects.get(),
                (startSubmits - t0) / 1e9);
        out.printf("submits: %d sent, %d answered, %.0f answered/s over %.0f s%n", sent.get(), answered.get(), answered.get() / elapsed, elapsed);
        if (!lat.isEmpty()) {
            out.printf("submit latency: p50 %.2f ms, p99 %.2f ms%n", pct(lat, 50) / 1e6, pct(lat, 99) / 1e6);
        }
        if (!spreads.isEmpty()) {
            out.printf("job broadcast: each new job reached every session within p50 %.1f ms, p99 %.1f ms of the first (%d jobs)%n",
                    pct(spreads, 50) / 1e6, pct(spreads, 99) / 1e6, arrivals.values().stream().filter(a -> a.size() >= held * 9 / 10).count());
        }
        if (pid != null) {
            for (String l : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (l.startsWith("VmRSS")) {
                    out.println("node " + l.replaceAll("\\s+", " "));
                }
            }
        }
        client.close();
        vertx.close();
        return 0;
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
