package p2pool4j.stratum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session's memory is bounded by design, whatever a miner sends: a million submits, one in ten
 * a duplicate of the one before, pipelined on one connection, leave at most
 * {@value StratumSession#MAX_SEEN_PER_SESSION} remembered submits in at most
 * {@value StratumSession#JOB_HISTORY} jobs, while duplicates are still caught.
 */
class SessionMemoryTest {
    static final int SUBMITS = 1_000_000;
    private Vertx vertx;
    private WorkerPortFixture fixture;

    @BeforeEach
    void start() throws Exception {
        // A low limit, so a blocked event loop shows in the log as a warning with its stack.
        vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
        fixture = new WorkerPortFixture(vertx, 16, 64, 2);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
        WorkerPortFixture.await(vertx.close());
    }

    @Test
    void aMillionSubmitsStayWithinTheSessionsBound() throws Exception {
        try {
            mine();
        } catch (java.io.IOException e) {
            throw new AssertionError("the node closed the connection; worker-port counters " + fixture.port.counters(), e);
        }
    }

    private void mine() throws Exception {
        try (Socket s = new Socket("127.0.0.1", fixture.port.port())) {
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8), 1 << 16);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
            AtomicReference<String[]> job = new AtomicReference<>();
            AtomicLong answered = new AtomicLong();
            AtomicLong duplicates = new AtomicLong();
            AtomicLong notFound = new AtomicLong();
            Thread reader = new Thread(() -> {
                try {
                    for (String line; (line = in.readLine()) != null;) {
                        JsonObject m = new JsonObject(line);
                        if ("mining.notify".equals(m.getString("method"))) {
                            JsonArray p = m.getJsonArray("params");
                            job.set(new String[] {p.getString(0), p.getString(7)});
                        } else if (m.getValue("id") instanceof Number n && n.longValue() >= 100) {
                            answered.incrementAndGet();
                            JsonArray err = m.getJsonArray("error");
                            if (err != null && err.getInteger(0) == 22) {
                                duplicates.incrementAndGet();
                            } else if (err != null && err.getInteger(0) == 21) {
                                notFound.incrementAndGet();
                            }
                        }
                    }
                } catch (Exception e) {
                    // closed at the end of the test
                }
            });
            reader.start();
            out.write("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"memtest/1\"]}\n");
            out.write("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"rig\",\"x\"]}\n");
            out.flush();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (job.get() == null && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertTrue(job.get() != null, "a job arrives");
            long dupsSent = 0;
            for (int i = 0; i < SUBMITS; i++) {
                long nonce = i % 10 == 9 ? i - 1 : i;
                dupsSent += i % 10 == 9 ? 1 : 0;
                String[] j = job.get();
                out.write("{\"id\":" + (100 + i) + ",\"method\":\"mining.submit\",\"params\":[\"rig\",\"" + j[0] + "\",\"00000000\",\""
                        + j[1] + "\",\"" + String.format("%08x", nonce) + "\"]}\n");
                if (i % 2000 == 1999) {
                    out.flush();
                    List<int[]> mem = memory();
                    assertEquals(1, mem.size());
                    assertTrue(mem.get(0)[0] <= StratumSession.MAX_SEEN_PER_SESSION, "remembered submits " + mem.get(0)[0]);
                    assertTrue(mem.get(0)[1] <= StratumSession.JOB_HISTORY, "remembered jobs " + mem.get(0)[1]);
                }
            }
            out.flush();
            end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (answered.get() < SUBMITS && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertEquals(SUBMITS, answered.get(), "every submit answered");
            // A duplicate follows its original at once; only a retirement of the full job in between hides it (then 21).
            assertTrue(duplicates.get() >= dupsSent * 9 / 10, duplicates + " of " + dupsSent + " duplicates caught");
            System.out.printf("session memory: %d submits, %d duplicates caught of %d sent, %d job-not-found, bound %d submits"
                    + " (%d bytes of key arrays at most)%n", SUBMITS, duplicates.get(), dupsSent, notFound.get(),
                    StratumSession.MAX_SEEN_PER_SESSION, StratumSession.MAX_KEY_ARRAY_BYTES);
        }
    }

    private List<int[]> memory() throws Exception {
        List<int[]> all = new java.util.ArrayList<>();
        for (WorkerPortVerticle v : fixture.port.instances()) {
            all.addAll(WorkerPortFixture.await(v.sessionMemory()));
        }
        return all;
    }
}
