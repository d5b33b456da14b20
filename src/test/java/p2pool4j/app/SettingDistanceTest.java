package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** "Did you mean": the bounded edit distance agrees with the full one below its bound, and the suggestions stay. */
class SettingDistanceTest {
    @Test
    void theBoundedDistanceIsExactBelowItsLimit() {
        Random random = new Random(3);
        for (int n = 0; n < 20_000; n++) {
            String a = word(random);
            String b = word(random);
            int full = Setting.distance(a, b);
            for (int limit = 1; limit <= 6; limit++) {
                int bounded = Setting.distance(a, b, limit);
                if (full < limit) {
                    assertEquals(full, bounded, a + " / " + b);
                } else {
                    assertTrue(bounded >= limit, a + " / " + b + ": " + bounded + " below " + limit);
                }
            }
        }
    }

    @Test
    void misspeltKeysStillFindTheirSetting() {
        assertEquals(Setting.WORKER_PORT, Setting.closest("worker-prot"));
        assertEquals(Setting.MAX_SESSIONS_PER_IP, Setting.closest("max-sessions-per-ipp"));
    }

    private static String word(Random random) {
        char[] c = new char[random.nextInt(12)];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) ('a' + random.nextInt(4));
        }
        return new String(c);
    }
}
