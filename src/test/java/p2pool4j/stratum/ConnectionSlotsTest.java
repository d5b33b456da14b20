package p2pool4j.stratum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rig that reconnects all day is never locked out: every worker-port connection gives its
 * per-IP slot back when it closes, whatever it sent (Stratum, getwork, garbage, nothing) and
 * whichever side closed. With a limit of 5 per IP, 10,000 cycles in sequence and 10,000 from 8
 * threads at once leave no slot taken, and a sixth concurrent connection is still refused.
 */
class ConnectionSlotsTest {
    static final int PER_IP = 5;
    private Vertx vertx;
    private WorkerPortFixture fixture;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        fixture = new WorkerPortFixture(vertx, PER_IP, 1000, 2);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
        WorkerPortFixture.await(vertx.close());
    }

    /** One connect/close cycle of kind {@code k}: each is answered or closed by the server before it is counted done. */
    private void cycle(int k) throws Exception {
        try (Socket s = new Socket("127.0.0.1", fixture.port.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            switch (k % 5) {
                case 0 -> { // Stratum subscribe, then the client closes
                    out.write("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n".getBytes(StandardCharsets.US_ASCII));
                    readLine(in);
                }
                case 1 -> { // getwork with Connection: close: the server closes
                    out.write(("POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    while (in.read() >= 0) {
                        // until the server closes
                    }
                }
                case 2 -> { // invalid JSON: the server closes
                    out.write("{nonsense\n".getBytes(StandardCharsets.US_ASCII));
                    while (in.read() >= 0) {
                        // until the server closes
                    }
                }
                case 3 -> { } // never sends a byte
                default -> { // a relayed-GET-like request on a keep-alive connection, closed by the client
                    out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    readLine(in);
                }
            }
        }
    }

    private static void readLine(InputStream in) throws Exception {
        for (int c; (c = in.read()) >= 0 && c != '\n';) {
            // skip
        }
    }

    private void waitForNoSlotTaken() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (fixture.port.connections() != 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(0, fixture.port.connections(), "slots still taken after every connection closed");
    }

    @Test
    void tenThousandSequentialCyclesLeaveNoSlotTaken() throws Exception {
        for (int i = 0; i < 10_000; i++) {
            cycle(i);
        }
        waitForNoSlotTaken();
        assertTrue(fixture.port.counters().getOrDefault("refused_limit", 0L) == 0, "nobody refused: " + fixture.port.counters());
        sixthConcurrentConnectionIsRefused();
    }

    @Test
    void tenThousandConcurrentCyclesLeaveNoSlotTaken() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 1250; i++) {
                        try {
                            cycle(thread * 1250 + i);
                        } catch (Exception refusedOrReset) {
                            // 8 threads against a limit of 5: some connections are refused, which is the limit working
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(300, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        waitForNoSlotTaken();
        sixthConcurrentConnectionIsRefused();
    }

    private void sixthConcurrentConnectionIsRefused() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_IP; i++) {
                Socket s = new Socket("127.0.0.1", fixture.port.port());
                s.getOutputStream().write("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n".getBytes(StandardCharsets.US_ASCII));
                readLine(s.getInputStream());
                held.add(s);
            }
            try (Socket sixth = new Socket("127.0.0.1", fixture.port.port())) {
                sixth.setSoTimeout(10_000);
                assertEquals(-1, sixth.getInputStream().read(), "the sixth connection from one IP is closed at once");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        waitForNoSlotTaken();
    }
}
