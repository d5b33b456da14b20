package p2pool4j.stratum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A session remembers its last {@value StratumSession#JOB_HISTORY} jobs (miner spec 3.13): a
 * submit to any of them is judged, one to an older job is 21 "Job not found", and duplicates are
 * caught on jobs whose slot held an earlier job.
 */
class JobHistoryTest {
    private record Sent(String id, String ntime) {}

    private static JsonObject send(Socket s, BufferedReader in, String line, List<Sent> notified) throws Exception {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        for (String reply; (reply = in.readLine()) != null;) {
            JsonObject o = new JsonObject(reply);
            if (o.getValue("method") == null) {
                return o;
            }
            collect(o, notified);
        }
        throw new AssertionError("no reply to " + line);
    }

    private static void collect(JsonObject o, List<Sent> notified) {
        if ("mining.notify".equals(o.getString("method"))) {
            JsonArray p = o.getJsonArray("params");
            notified.add(new Sent(p.getString(0), p.getString(7)));
        }
    }

    private static Sent nextJob(BufferedReader in, List<Sent> notified) throws Exception {
        int before = notified.size();
        for (String line; notified.size() == before && (line = in.readLine()) != null;) {
            collect(new JsonObject(line), notified);
        }
        return notified.get(notified.size() - 1);
    }

    private static String submit(int id, Sent job, String nonce) {
        return "{\"id\":" + id + ",\"method\":\"mining.submit\",\"params\":[\"rig\",\"" + job.id() + "\",\"00000000\",\"" + job.ntime()
                + "\",\"" + nonce + "\"]}";
    }

    private static Integer errorCode(JsonObject reply) {
        JsonArray e = reply.getJsonArray("error");
        return e == null ? null : e.getInteger(0);
    }

    /** 21 covers both a stale job and an unknown one; the message tells them apart. */
    private static boolean notFound(JsonObject reply) {
        JsonArray e = reply.getJsonArray("error");
        return e != null && e.getInteger(0) == 21 && "Job not found".equals(e.getString(1));
    }

    @Test
    void theLastSixteenJobsAreJudgedAndOlderOnesAreNotFound() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (WorkerPortFixture fixture = new WorkerPortFixture(vertx, 10, 10, 1);
                Socket s = new Socket("127.0.0.1", fixture.port.port())) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            List<Sent> notified = new ArrayList<>();
            send(s, in, "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}", notified);
            send(s, in, "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"rig\",\"x\"]}", notified);
            Sent first = notified.isEmpty() ? nextJob(in, notified) : notified.get(0);
            int rounds = StratumSession.JOB_HISTORY + 4;
            for (int n = 0; n < rounds; n++) {
                fixture.node.setTemplate(WorkerPortFixture.template(100 + n));
                nextJob(in, notified);
            }
            List<String> ids = notified.stream().map(Sent::id).distinct().toList();
            assertEquals(rounds + 1, ids.size(), "one new job per template: " + ids);
            assertEquals(first.id(), ids.get(0));

            int id = 10;
            // Older than the last 16: forgotten.
            for (int back = StratumSession.JOB_HISTORY; back < ids.size(); back++) {
                Sent old = notified.get(notified.size() - 1 - back);
                JsonObject r = send(s, in, submit(id++, old, "00000001"), notified);
                assertEquals(true, notFound(r), "job " + back + " back: " + r);
            }
            // The last 16: judged (stale, as the template moved on, or too easy; never "not found"); a submit repeated is a duplicate.
            for (int back = 0; back < StratumSession.JOB_HISTORY; back++) {
                Sent recent = notified.get(notified.size() - 1 - back);
                JsonObject once = send(s, in, submit(id++, recent, "00000002"), notified);
                assertEquals(false, notFound(once), "job " + back + " back: " + once);
                assertNotEquals(22, errorCode(once), "job " + back + " back, first submit: " + once);
                assertEquals(22, errorCode(send(s, in, submit(id++, recent, "00000002"), notified)), "job " + back + " back, again");
            }
        } finally {
            WorkerPortFixture.await(vertx.close());
        }
    }
}
