package p2pool4j.bitcoind;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * What a broken or hostile bitcoind can answer: any JSON as a getblocktemplate result, any
 * payload for the P2P messages we read (version, inv, getdata, headers). Each input
 * ends in a Template or a typed BitcoindException (or the JSON decoder's DecodeException before
 * it), never in another exception, and never takes 100 ms once warm. Seeds: templates like
 * bcoin's ({@code BitcoindInputFuzzTestInputs/}); {@code JAZZER_FUZZ=1} fuzzes.
 */
class BitcoindInputFuzzTest {
    private static final p2pool4j.testutil.FuzzClock CLOCK = new p2pool4j.testutil.FuzzClock();

    @FuzzTest(maxDuration = "60s")
    void templateAnswers(byte[] input) {
        CLOCK.start();
        // As the node reads it: the bytes streamed, ending in a template, a typed refusal or malformed JSON.
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(input)) {
            if (p.nextToken() != null) {
                TemplateParser.read(p, null);
            }
        } catch (BitcoindException | java.io.IOException expected) {
            // a typed refusal, or not JSON
        }
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

    private static final String[] P2P_COMMANDS = {"version", "inv", "getdata", "headers"};

    /** What bitcoind's P2P port can send us: each message we read ends in its record or a ParseException. */
    @FuzzTest(maxDuration = "60s")
    void p2pMessages(byte[] input) {
        CLOCK.start();
        if (input.length > 0) {
            String command = P2P_COMMANDS[(input[0] & 0xff) % P2P_COMMANDS.length];
            byte[] payload = java.util.Arrays.copyOfRange(input, 1, input.length);
            try {
                switch (command) {
                    case "version" -> P2pMessages.parseVersion(payload);
                    case "headers" -> P2pMessages.parseHeaders(payload);
                    default -> P2pMessages.parseInv(payload);
                }
            } catch (p2pool4j.bitcoin.ParseException expected) {
                // a typed refusal
            }
        }
        CLOCK.check();
    }
}
