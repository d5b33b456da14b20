package p2pool4j.stratum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written submit replies are byte for byte what the JSON tree they replace put on the wire. */
class StratumRepliesTest {
    /** What the session wrote for a reply string: its UTF-8 (an unpaired surrogate in a stranger's id becomes '?'). */
    private static io.vertx.core.buffer.Buffer wire(String reply) {
        return io.vertx.core.buffer.Buffer.buffer(reply);
    }

    private static List<Object> ids() {
        List<Object> ids = new ArrayList<>(List.of(0, 1, -7, Integer.MAX_VALUE, Long.MIN_VALUE, "4", "", "a\"b\\c", "\u0000\u001f\n\t\r\b\f",
                "é✓😀/", new BigInteger("123456789012345678901234567890"), new BigDecimal("1.5e3"), 2.25));
        ids.add(null);
        Random random = new Random(1);
        for (int i = 0; i < 200; i++) {
            char[] c = new char[random.nextInt(12)];
            for (int k = 0; k < c.length; k++) {
                c[k] = (char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000));
            }
            ids.add(new String(c));
        }
        return ids;
    }

    @Test
    void resultsMatchTheTreeEncoding() {
        for (Object id : ids()) {
            for (boolean r : new boolean[] {true, false}) {
                assertEquals(wire(new JsonObject().put("id", id).put("result", r).putNull("error").encode() + "\n"), StratumReplies.result(id, r),
                        "id " + id);
            }
        }
    }

    @Test
    void errorsMatchTheTreeEncoding() {
        for (Object id : ids()) {
            for (String m : List.of("Low difficulty share", "Job not found", "x\"y\\z\u0001", "")) {
                assertEquals(wire(new JsonObject().put("id", id).putNull("result").put("error", new JsonArray().add(23).add(m).addNull())
                        .put("reject-reason", m).encode() + "\n"), StratumReplies.error(id, 23, m), "id " + id + ", message " + m);
            }
        }
    }

    @Test
    void rejectsAreTheErrorOfTheirResult() {
        for (Object id : ids()) {
            for (p2pool4j.work.SubmitResult r : p2pool4j.work.SubmitResult.values()) {
                if (r.accepted()) {
                    continue;
                }
                assertEquals(StratumReplies.error(id, r.stratumCode(), r.message()), StratumReplies.reject(id, r),
                        "id " + id + ", " + r);
            }
        }
    }
}
