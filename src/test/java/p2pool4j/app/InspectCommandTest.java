package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import p2pool4j.testutil.Vectors;

class InspectCommandTest {
    private static final JsonNode CHAIN = Vectors.load("chain_regtest.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out), new PrintStream(err), java.util.Map.of(), Path.of("/nonexistent"));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shareDecodesUnderTheSpecsFieldNames() throws Exception {
        JsonNode s = CHAIN.get("shares").get(0);
        Run r = run("inspect", "share", "--net", "regtest", s.get("wire_hex").asText());
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(34, j.get("type").asInt());
        assertEquals(s.get("hash").asText(), j.get("share_hash").asText());
        assertEquals(s.get("gentx_hash").asText(), j.get("gentx_txid").asText());
        assertEquals(s.get("target").asText(), j.get("target").asText());
        assertEquals(64, j.get("max_target").asText().length());
        assertEquals("bcrt1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qzf4jry",
                j.get("share_info").get("share_data").get("address").asText());
        assertEquals("ok", j.get("receipt_check").asText());
        assertTrue(j.get("share_info").get("share_data").get("previous_share_hash").isNull());
    }

    @Test
    void aShareFailingItsReceiptChecksIsStillShown() throws Exception {
        for (JsonNode c : CHAIN.get("negative_and_edge_cases")) {
            if (c.get("desc").asText().startsWith("PoW above share target")) {
                Run r = run("inspect", "share", "--net", "regtest", c.get("wire_hex").asText());
                assertEquals(0, r.code());
                assertEquals("pow_invalid", JSON.readTree(r.out()).get("receipt_check").asText());
            }
        }
        assertEquals(2, run("inspect", "share", "--net", "regtest", "nothex").code());
        assertEquals(2, run("inspect", "share", "--net", "regtest", "2401").code());
        assertEquals(2, run("inspect", "share", "--net", "mars", "00").code());
        assertEquals(2, run("inspect", "chain", "--net", "regtest", "/no/such/file").code());
    }

    @Test
    void chainReportsEachVerdictAndTheBestShare(@TempDir Path dir) throws Exception {
        List<String> hexes = new ArrayList<>();
        CHAIN.get("shares").forEach(s -> hexes.add(s.get("wire_hex").asText()));
        Collections.shuffle(hexes, new Random(3));
        String bad = null;
        for (JsonNode c : CHAIN.get("negative_and_edge_cases")) {
            if (c.get("desc").asText().startsWith("absheight off by one")) {
                bad = c.get("wire_hex").asText();
            }
        }
        hexes.add(bad);
        hexes.add("00");
        Path file = dir.resolve("chain.json");
        Files.writeString(file, JSON.writeValueAsString(hexes));
        Run r = run("inspect", "chain", "--net", "regtest", file.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(CHAIN.get("shares").get(459).get("hash").asText(), j.get("best_share_hash").asText());
        JsonNode shares = j.get("shares");
        assertEquals(462, shares.size());
        assertEquals("share_info_invalid", shares.get(460).get("verdict").asText());
        assertEquals("malformed", shares.get(461).get("verdict").asText());
        long ok = 0;
        for (JsonNode s : shares) {
            ok += s.get("verdict").asText().equals("ok") ? 1 : 0;
        }
        assertEquals(360, ok, "verified back CHAIN_LENGTH shares from the head, like the reference");
    }
}
