package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Any config file text: parsed into values and errors, then built into a Config or a list of
 * errors, never an exception, never 100 ms once warm. Seeds: the shipped config file.
 */
class ConfigInputFuzzTest {
    private static final p2pool4j.testutil.FuzzClock CLOCK = new p2pool4j.testutil.FuzzClock();

    @FuzzTest(maxDuration = "60s")
    void configFiles(byte[] input) {
        CLOCK.start();
        String text = new String(input, StandardCharsets.UTF_8);
        ConfigFile.Parsed parsed = ConfigFile.parse("fuzz.conf", text);
        assertTrue(parsed.values() != null && parsed.errors() != null);
        ConfigBuilder.Result r = ConfigBuilder.build(Map.of(Setting.CONFIG, java.util.List.of("/fuzz.conf")), Map.of(),
                p -> p.toString().endsWith("fuzz.conf") ? Optional.of(text) : Optional.empty(), Path.of("/nonexistent-home"));
        assertTrue(r.ok() || !r.errors().isEmpty(), "a refusal says why");
        CLOCK.check();
    }
}
