package p2pool4j.stratum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The scanner is a shortcut, not a second parser: where it reads a line, the request is the one
 * Jackson's tree gives (same id and id type, method, params), and the lines it leaves still get
 * Jackson's answer, refusals included.
 */
class RequestScannerTest {
    /** What real rigs send (cgminer, bmminer, cpuminer, NiceHash, Braiins), and what our test miner sends. */
    private static final String[] RIG_LINES = {
        "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"cgminer/4.10.0\"]}",
        "{\"id\": 1, \"method\": \"mining.subscribe\", \"params\": [\"bmminer/2.0.0\", null]}",
        "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"bc1qexample.rig1+0.5/1000\",\"x\"]}",
        "{\"params\":[\"w\",\"1a\",\"00000001\",\"5f5e1000\",\"deadbeef\"],\"id\":4,\"method\":\"mining.submit\"}",
        "{\"id\":4,\"method\":\"mining.submit\",\"params\":[\"w\",\"1a\",\"00000001\",\"5f5e1000\",\"deadbeef\",\"1fffe000\"]}",
        "{\"method\":\"mining.submit\",\"params\":[\"w\",\"1a\",\"00000001\",\"5f5e1000\",\"deadbeef\"],\"id\":\"abc\",\"jsonrpc\":\"2.0\"}",
        "{\"id\":null,\"method\":\"mining.extranonce.subscribe\",\"params\":[]}",
        "{\"id\":3,\"method\":\"mining.configure\"}",
        "{\"id\":123456789012,\"method\":\"mining.submit\",\"params\":[]}",
        "{\"id\":-7,\"method\":\"mining.capabilities\",\"params\":[]}",
        "{\"id\":5,\"method\":\"mining.subscribe\",\"params\":[\"Üñï\"]}",
    };

    @Test
    void readsWhatRigsSendAsJacksonDoes() throws StratumRefusal {
        for (String line : RIG_LINES) {
            StratumRequest fast = RequestScanner.scan(line);
            assertNotNull(fast, line);
            assertSame(StratumRequest.parseTree(line), fast, line);
        }
    }

    @Test
    void leavesEverythingElseToJackson() {
        String[] others = {
            "{\"id\":1,\"method\":\"mining.suggest_difficulty\",\"params\":[1024]}", // a number in params
            "{\"id\":1.5,\"method\":\"mining.subscribe\",\"params\":[]}",
            "{\"id\":1e3,\"method\":\"mining.subscribe\",\"params\":[]}",
            "{\"id\":01,\"method\":\"mining.subscribe\",\"params\":[]}",
            "{\"id\":1234567890123456789,\"method\":\"mining.subscribe\",\"params\":[]}", // 19 digits
            "{\"id\":1,\"method\":\"mining.s\\u0075bmit\",\"params\":[]}", // an escape
            "{\"id\":1,\"method\":\"mining.configure\",\"params\":[[\"version-rolling\"],{}]}", // nested
            "{\"id\":1,\"id\":2,\"method\":\"mining.subscribe\"}", // duplicate key
            "{\"id\":1,\"result\":true,\"error\":null}", // a reply to us
            "{\"id\":1,\"params\":[]}", // no method
            "{\"id\":1,\"method\":\"mining.subscribe\"} trailing",
            "{\"id\":1,\"method\":\"mining.subscribe\",}",
            "{\"id\":1,\"method\":\"mining.subscribe\"\u00a0}", // not JSON whitespace
            "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":null}",
            "[1,2]",
            "{}",
        };
        for (String line : others) {
            assertNull(RequestScanner.scan(line), line);
        }
    }

    /**
     * Lines built from the pieces of real ones, mutated at random (a seeded generator: a failure
     * names its seed): whatever the scanner reads must be what Jackson reads.
     */
    @Test
    void agreesWithJacksonOnRandomLines() {
        String[] pieces = {"{", "}", "[", "]", ",", ":", " ", "\t", "\"", "\\", "\"id\"", "\"method\"", "\"params\"", "\"result\"",
            "\"mining.submit\"", "\"w\"", "null", "nul", "0", "-0", "7", "-", "01", "2147483648", "-2147483649", "999999999999999999",
            "1.0", "1e2", "\"a\\\"b\"", "\"\u0001\"", "\"é\"", "true", "\"jsonrpc\"", "\"2.0\""};
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int read = 0;
        for (int n = 0; n < 200_000; n++) {
            String line = random.nextInt(4) == 0 ? randomPieces(random, pieces) : mutate(random, RIG_LINES[random.nextInt(RIG_LINES.length)], pieces);
            StratumRequest fast = RequestScanner.scan(line);
            if (fast == null) {
                continue;
            }
            read++;
            try {
                assertSame(StratumRequest.parseTree(line), fast, "seed " + seed + ": " + line);
            } catch (StratumRefusal e) {
                throw new AssertionError("seed " + seed + ": the scanner read a line Jackson refuses: " + line, e);
            }
        }
        // The mutations keep many lines readable; a scanner that read none would pass vacuously.
        assertEquals(true, read > 10_000, "seed " + seed + ": only " + read + " lines were read by the scanner");
    }

    private static String randomPieces(Random random, String[] pieces) {
        StringBuilder b = new StringBuilder("{");
        for (int i = random.nextInt(12); i > 0; i--) {
            b.append(pieces[random.nextInt(pieces.length)]);
        }
        return b.toString().strip();
    }

    private static String mutate(Random random, String line, String[] pieces) {
        StringBuilder b = new StringBuilder(line);
        for (int i = random.nextInt(3); i > 0; i--) {
            int at = random.nextInt(b.length() + 1);
            switch (random.nextInt(3)) {
                case 0 -> b.insert(at, pieces[random.nextInt(pieces.length)]);
                case 1 -> b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(3)));
                default -> b.replace(at, Math.min(b.length(), at + 1), pieces[random.nextInt(pieces.length)]);
            }
        }
        String s = b.toString().strip();
        return s.isEmpty() ? "{}" : s;
    }

    private static void assertSame(StratumRequest tree, StratumRequest fast, String line) {
        assertNotNull(tree, line);
        assertEquals(tree.id(), fast.id(), line);
        assertEquals(tree.id() == null ? null : tree.id().getClass(), fast.id() == null ? null : fast.id().getClass(), line);
        assertEquals(tree.method(), fast.method(), line);
        assertEquals(tree.params().getList(), fast.params().getList(), line);
    }
}
