package p2pool4j.stratum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slowloris cannot hold worker-port slots: a connection that never speaks, a Stratum line fed one
 * byte every 5 s and an HTTP head fed the same way are closed about 30 s after they began, while
 * an authorized session that only receives jobs stays. Bounded: about 45 s, all at once.
 */
class SlowClientsTest {
    private Vertx vertx;
    private WorkerPortFixture fixture;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        fixture = new WorkerPortFixture(vertx, 100, 100, 1);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
        WorkerPortFixture.await(vertx.close());
    }

    private Socket open() throws Exception {
        Socket s = new Socket("127.0.0.1", fixture.port.port());
        s.setSoTimeout(1_000);
        return s;
    }

    /** True when the server has closed the socket (end of stream or reset); reads and drops whatever else came. */
    private static boolean closed(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            while (true) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (java.io.IOException reset) {
            return true;
        }
    }

    @Test
    void slowAndSilentConnectionsAreClosedAndAnHonestIdleSessionStays() throws Exception {
        try (Socket silent = open(); Socket slowStratum = open(); Socket slowHttp = open(); Socket honest = open()) {
            honest.getOutputStream().write(("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n"
                    + "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"rig\",\"x\"]}\n").getBytes(StandardCharsets.US_ASCII));
            byte[] line = "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}".getBytes(StandardCharsets.US_ASCII);
            byte[] head = "POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            long t0 = System.nanoTime();
            int i = 0;
            boolean silentClosed = false;
            boolean stratumClosed = false;
            boolean httpClosed = false;
            while ((System.nanoTime() - t0) / 1_000_000_000L < 45 && !(silentClosed && stratumClosed && httpClosed)) {
                try {
                    if (!stratumClosed) {
                        slowStratum.getOutputStream().write(line[i % line.length]);
                    }
                    if (!httpClosed) {
                        slowHttp.getOutputStream().write(head[Math.min(i, head.length - 1)]);
                    }
                } catch (java.io.IOException closedWhileWriting) {
                    // the next reads say which one
                }
                i++;
                silentClosed = silentClosed || closed(silent);
                stratumClosed = stratumClosed || closed(slowStratum);
                httpClosed = httpClosed || closed(slowHttp);
                Thread.sleep(4_000);
            }
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertTrue(silentClosed, "a silent connection is closed");
            assertTrue(stratumClosed, "a Stratum line fed a byte at a time is closed");
            assertTrue(httpClosed, "an HTTP head fed a byte at a time is closed");
            assertTrue(seconds >= 25, "not before the timeouts: " + seconds + " s");
            assertEquals(false, closed(honest), "an authorized session that only receives jobs stays");
            System.out.println("slow clients closed after " + seconds + " s; counters " + fixture.port.counters());
        }
    }
}
