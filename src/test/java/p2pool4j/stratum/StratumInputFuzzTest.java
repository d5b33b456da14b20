package p2pool4j.stratum;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a miner (or anyone on the LAN) can send the worker port over Stratum: any line, and any
 * params for each {@code mining.*} method. Each input ends in a request with its params read, or a
 * typed {@link StratumRefusal}, never another exception, and never takes 100 ms. Seeds: the lines
 * real rigs send ({@code StratumInputFuzzTestInputs/}); {@code JAZZER_FUZZ=1} fuzzes.
 */
class StratumInputFuzzTest {
    private static final String[] METHODS = {"mining.configure", "mining.subscribe", "mining.authorize", "mining.submit",
        "mining.suggest_difficulty", "mining.suggest_target", "mining.extranonce.subscribe"};
    private static final p2pool4j.testutil.FuzzClock CLOCK = new p2pool4j.testutil.FuzzClock();

    @FuzzTest(maxDuration = "60s")
    void linesAndParams(FuzzedDataProvider data) {
        CLOCK.start();
        boolean wholeLine = data.consumeBoolean();
        String method = METHODS[data.consumeInt(0, METHODS.length - 1)];
        String text = data.consumeRemainingAsString().strip();
        if (!wholeLine) {
            // The params of one method, as whatever JSON the input is (arrays, objects, numbers, strings).
            text = "{\"id\":1,\"method\":\"" + method + "\",\"params\":" + text + "}";
        }
        if (text.isEmpty() || text.length() > StratumSession.MAX_LINE) {
            return;
        }
        try {
            StratumRequest r = StratumRequest.parse(text);
            if (r != null) {
                read(r);
            }
        } catch (StratumRefusal expected) {
            // a typed refusal
        }
        sameAsTree(text);
        CLOCK.check();
    }

    /** The scanner's shortcut reads a line as Jackson's tree does, or leaves it to the tree. */
    private static void sameAsTree(String text) {
        StratumRequest fast = RequestScanner.scan(text);
        if (fast == null) {
            return;
        }
        StratumRequest tree;
        try {
            tree = StratumRequest.parseTree(text);
        } catch (StratumRefusal e) {
            throw new AssertionError("the scanner read a line the tree refuses: " + text, e);
        }
        if (tree == null || !java.util.Objects.equals(tree.id(), fast.id()) || !tree.method().equals(fast.method())
                || !tree.params().getList().equals(fast.params().getList())
                || (tree.id() != null && tree.id().getClass() != fast.id().getClass())) {
            throw new AssertionError("the scanner read " + text + " as " + fast + ", the tree as " + tree);
        }
    }

    private static void read(StratumRequest r) throws StratumRefusal {
        switch (r.method()) {
            case "mining.configure" -> r.configure();
            case "mining.subscribe" -> r.userAgent();
            case "mining.authorize" -> r.authorization();
            case "mining.submit" -> r.submit();
            case "mining.suggest_difficulty" -> r.suggestedDifficulty();
            case "mining.suggest_target" -> r.suggestedTarget();
            default -> {
                // answered without reading params
            }
        }
        // Whatever was read must be echoable: the id goes back in the answer, written by hand exactly as the tree would be.
        new JsonObject().put("id", r.id()).put("result", new JsonArray()).encode();
        String tree = new JsonObject().put("id", r.id()).putNull("result").put("error", new JsonArray().add(23).add(r.method()).addNull())
                .put("reject-reason", r.method()).encode() + "\n";
        io.vertx.core.buffer.Buffer hand = StratumReplies.error(r.id(), 23, r.method());
        if (!io.vertx.core.buffer.Buffer.buffer(tree).equals(hand)) { // as bytes on the wire
            throw new AssertionError("hand-written reply differs: " + tree + " vs " + hand);
        }
    }
}
