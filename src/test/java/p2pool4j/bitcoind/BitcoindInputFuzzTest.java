package p2pool4j.bitcoind;

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
    private static final p2pool4j.testutil.FuzzClock CLOCK = new p2pool4j.testutil.FuzzClock();

    @FuzzTest(maxDuration = "60s")
    void templateAnswers(byte[] input) {
        CLOCK.start();
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
        CLOCK.check();
    }
}
