package p2pool4j.stratum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed requests on the worker port get the protocol's error answer and the connection survives where it should. */
class ProtocolEdgesTest {
    private static Vertx vertx;
    private static WorkerPortFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        fixture = new WorkerPortFixture(vertx, 100, 100, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        WorkerPortFixture.await(vertx.close());
    }

    private static JsonObject ask(Socket s, BufferedReader in, String line) throws Exception {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        for (String reply; (reply = in.readLine()) != null;) {
            JsonObject o = new JsonObject(reply);
            if (o.getValue("method") == null) {
                return o;
            }
        }
        throw new AssertionError("no reply to " + line);
    }

    @Test
    void stratumAnswersMalformedRequestsWithErrors() throws Exception {
        try (Socket s = new Socket("127.0.0.1", fixture.port.port())) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            ask(s, in, "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}");
            for (String params : new String[] {"null", "[1]", "[{}]", "[]", "[\"\"]"}) {
                JsonObject r = ask(s, in, "{\"id\":2,\"method\":\"mining.authorize\",\"params\":" + params + "}");
                assertEquals(20, r.getJsonArray("error").getInteger(0), "authorize " + params + ": " + r);
            }
            JsonObject noMethod = ask(s, in, "{\"id\":3,\"params\":[]}");
            assertEquals(3, noMethod.getInteger("id"));
            assertEquals(20, noMethod.getJsonArray("error").getInteger(0));
            s.getOutputStream().write("{\"id\":1e400,\"method\":\"mining.subscribe\",\"params\":[]}\n".getBytes(StandardCharsets.UTF_8));
            String raw = in.readLine();
            assertFalse(raw.contains("Infinity"), raw);
            assertTrue(new JsonObject(raw).getValue("id") == null, raw);
            JsonObject ok = ask(s, in, "{\"id\":4,\"method\":\"mining.authorize\",\"params\":[\"rig\",\"x\"]}");
            assertEquals(true, ok.getValue("result"), "the session survived all of it: " + ok);
        }
        assertTrue(fixture.port.counters().getOrDefault("bad_authorize", 0L) >= 5, fixture.port.counters().toString());
    }

    /** A worker's live sessions are listed with their miner, difficulty and what each sent. */
    @Test
    void aWorkersSessionsAreListed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", fixture.port.port())) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            ask(s, in, "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"bfgminer/5.5\"]}");
            ask(s, in, "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"listed.rig\",\"x\"]}");
            // The first job follows the authorize answer (the session asks the node for it): its difficulty is listed once it is sent.
            for (String line; (line = in.readLine()) != null && !line.contains("\"mining.notify\"");) {
                // set_difficulty comes first
            }
            JsonObject bad = ask(s, in, "{\"id\":3,\"method\":\"mining.submit\",\"params\":[\"listed.rig\",\"nosuchjob\",\"00000000\",\"00000000\",\"00000000\"]}");
            assertEquals(21, bad.getJsonArray("error").getInteger(0));
            java.util.List<SessionInfo> listed = WorkerPortFixture.await(fixture.port.sessions("listed.rig"));
            assertEquals(1, listed.size(), listed.toString());
            SessionInfo one = listed.get(0);
            assertEquals("bfgminer/5.5", one.userAgent());
            assertEquals("127.0.0.1", one.ip());
            assertEquals(1, one.rejected());
            assertEquals(0, one.accepted());
            assertTrue(one.lastSubmitMillis() >= one.connectedMillis() && one.difficulty() > 0, one.toString());
            assertEquals(java.util.List.of(), WorkerPortFixture.await(fixture.port.sessions("nobody")));
        }
    }

    private static String http(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", fixture.port.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
        }
    }

    @Test
    void getworkRefusesMalformedRequestHeads() throws Exception {
        assertTrue(http("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 405"));
        assertTrue(http("POST / HTTP/2.0\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 505"));
        assertTrue(http("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n").startsWith("HTTP/1.1 400"));
        assertTrue(http("POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n").startsWith("HTTP/1.1 400"));
        assertTrue(http("POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n").startsWith("HTTP/1.1 413"));
        assertTrue(http("POST / HTTP/1.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"),
                "a well-formed getwork request still works");
        assertTrue(fixture.port.getwork().badRequests() >= 5);
    }
}
