package p2pool4j.bitcoin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import p2pool4j.testutil.Vectors;

/** Section 6: compact bits, work and difficulty (targets.json). */
class TargetsTest {
    private static final JsonNode V = Vectors.load("targets.json");

    @Test
    void compactRoundsDown() {
        for (JsonNode c : V.get("from_target_upper_bound")) {
            BigInteger t = Vectors.big(c.get("target"));
            long bits = Targets.toBits(t);
            assertEquals(c.get("bits_hex").asText(), String.format("%08x", bits), c.toString());
            assertEquals(Vectors.big(c.get("decoded_target")), Targets.fromBits(bits));
        }
    }

    @Test
    void bitsDecodeWithoutSignBit() {
        for (JsonNode c : V.get("bits_to_target")) {
            long bits = Long.parseLong(c.get("bits").asText());
            assertEquals(Vectors.big(c.get("target")), Targets.fromBits(bits), c.toString());
            assertEquals(c.get("reencoded_bits_hex").asText(), String.format("%08x", Targets.toBits(Targets.fromBits(bits))));
        }
    }

    @Test
    void attempts() {
        for (JsonNode c : V.get("target_to_average_attempts")) {
            assertEquals(Vectors.big(c.get("attempts")), Targets.attempts(Vectors.big(c.get("target"))));
        }
    }

    @Test
    void displayDifficulty() {
        for (JsonNode c : V.get("target_to_difficulty")) {
            assertEquals(Double.parseDouble(c.get("difficulty").asText()), Targets.difficulty(Vectors.big(c.get("target"))), 1e-9);
        }
    }

    @Test
    void specExamples() {
        BigInteger one = BigInteger.ONE;
        assertEquals(0x1d00ffffL, Targets.toBits(one.shiftLeft(224).subtract(one)));
        assertEquals(0x207fffffL, Targets.toBits(one.shiftLeft(255).subtract(one)));
        assertEquals(0x2100ffffL, Targets.toBits(one.shiftLeft(256).subtract(one)));
        assertEquals(0x0400ffffL, Targets.toBits(BigInteger.valueOf(0xffffff)));
        assertEquals(Targets.fromBits(0x1d00ffffL), Targets.fromBdiff(1.0));
    }
}
