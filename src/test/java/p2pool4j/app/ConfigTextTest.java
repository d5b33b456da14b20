package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The config file's hand-written text checks say what the regular expressions they replace said. */
class ConfigTextTest {
    private static final String ALPHABET = "ab=#\r\n\u000B\f\u0085\u2028\u2029 .-:_%[]/é";

    private static String text(Random random, int max) {
        char[] c = new char[random.nextInt(max)];
        for (int i = 0; i < c.length; i++) {
            c[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(c);
    }

    @Test
    void linesSplitAtEveryLineBreakAsTheRegexDid() {
        Random random = new Random(5);
        for (int n = 0; n < 20_000; n++) {
            String t = text(random, 16);
            assertEquals(Arrays.asList(t.split("\\R", -1)), ConfigFile.lines(t), () -> t.chars().mapToObj(Integer::toHexString).toList().toString());
        }
    }

    @Test
    void hostCharactersAreTheRegexsClass() {
        Random random = new Random(6);
        for (int n = 0; n < 20_000; n++) {
            String t = text(random, 8);
            if (!t.isEmpty()) {
                assertEquals(t.matches("[A-Za-z0-9.\\-:_%]+"), HostPort.onlyHostCharacters(t, ""), t);
                assertEquals(t.matches("[A-Za-z0-9.\\-:_%\\[\\]]+"), HostPort.onlyHostCharacters(t, "[]"), t);
            }
        }
    }
}
