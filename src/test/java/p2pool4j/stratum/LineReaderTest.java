package p2pool4j.stratum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lines come out whole and decoded however the bytes were cut into reads; a line over the limit ends the reading. */
class LineReaderTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();

    private LineReader reader(int max) {
        return new LineReader(max, (text, bytes) -> {
            lines.add(text);
            sizes.add(bytes);
        });
    }

    @Test
    void linesCutAtEveryByteComeOutWhole() {
        String stream = "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"Üñï✓😀\"]}\n\n{\"id\":2}\r\nlast";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            lines.clear();
            sizes.clear();
            LineReader r = reader(1024);
            assertTrue(r.feed(Buffer.buffer().appendBytes(bytes, 0, cut)));
            assertTrue(r.feed(Buffer.buffer().appendBytes(bytes, cut, bytes.length - cut)));
            assertEquals(List.of("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"Üñï✓😀\"]}", "", "{\"id\":2}\r"), lines, "cut at " + cut);
            assertEquals(List.of(bytes.length - "\n\n{\"id\":2}\r\nlast".length(), 0, 9), sizes, "cut at " + cut);
            assertEquals(4, r.pending(), "the unfinished line waits");
        }
    }

    @Test
    void randomReadsGiveTheSameLines() {
        Random random = new Random(7);
        StringBuilder all = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String line = "line " + i + " " + "é".repeat(random.nextInt(40)) + "x".repeat(random.nextInt(300));
            expected.add(line);
            all.append(line).append('\n');
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        LineReader r = reader(1024);
        for (int at = 0; at < bytes.length;) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(700));
            assertTrue(r.feed(Buffer.buffer().appendBytes(bytes, at, n)));
            at += n;
        }
        assertEquals(expected, lines);
        assertEquals(0, r.pending());
    }

    @Test
    void aLineAtTheLimitIsReadAndOneByteMoreEndsTheReading() {
        LineReader r = reader(16);
        assertTrue(r.feed(Buffer.buffer("a".repeat(16) + "\n")));
        assertTrue(r.feed(Buffer.buffer("b".repeat(10))));
        assertTrue(r.feed(Buffer.buffer("b".repeat(6) + "\n")));
        assertEquals(List.of("a".repeat(16), "b".repeat(16)), lines);

        assertFalse(reader(16).feed(Buffer.buffer("ok\n" + "c".repeat(17) + "\n")), "whole in one read");
        assertEquals("ok", lines.get(2), "the lines before it were delivered");
        LineReader split = reader(16);
        assertTrue(split.feed(Buffer.buffer("d".repeat(9))));
        assertFalse(split.feed(Buffer.buffer("d".repeat(8))), "an unfinished line past the limit, before its newline comes");
        assertFalse(split.feed(Buffer.buffer("\nnext\n")), "nothing more is read");
        assertEquals(3, lines.size());
    }
}
