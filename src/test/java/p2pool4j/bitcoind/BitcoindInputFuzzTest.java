package p2pool4j.bitcoind;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * What a broken or hostile bitcoind can answer: any JSON as a getblocktemplate result. Each input
 * ends in a Template or a typed BitcoindException (or the JSON decoder's DecodeException before
 * it), never in another exception, and never takes 100 ms once warm. Seeds: templates like
 * bcoin's ({@code BitcoindInputFuzzTestInputs/}); {@code JAZZER_FUZZ=1} fuzzes.
 */
class BitcoindInputFuzzTest {
    private static final int WARM_UP = 2_000;
    private static int calls;

    @FuzzTest(maxDuration = "60s")
    void templateAnswers(byte[] input) {
        long t0 = System.nanoTime();
        calls++;
        Object json;
        try {
            json = Json.decodeValue(new String(input, StandardCharsets.UTF_8));
        } catch (DecodeException notJson) {
            return;
        }
        try {
            TemplateParser.parse(json);
        } catch (BitcoindException expected) {
            // a typed refusal
        }
        assertTrue(calls < WARM_UP || System.nanoTime() - t0 < 100_000_000L, "an input took more than 100 ms");
    }
}
