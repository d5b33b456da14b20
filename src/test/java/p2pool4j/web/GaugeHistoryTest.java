package p2pool4j.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gauge samples: every one for two hours, five-minute averages after, null where nothing was sampled. */
class GaugeHistoryTest {
    @Test
    void recentBinsAverageTheSamplesOlderOnesTheFiveMinuteAverages() {
        GaugeHistory g = new GaugeHistory();
        long t0 = 1_800_000_000_000L;
        for (long t = t0; t < t0 + 6 * 3_600_000L; t += 5_000) { // six hours, one sample every 5 s: 1 then 3 alternating
            g.record("peers", t, Map.of("incoming", (t / 5_000) % 2 == 0 ? 1.0 : 3.0));
        }
        long now = t0 + 6 * 3_600_000L;
        Map<String, Double>[] hour = g.bins("peers", now, 24_000, 150);
        assertEquals(2.0, hour[149].get("incoming"), 1e-9);
        Map<String, Double>[] day = g.bins("peers", now, 288_000, 300);
        assertEquals(2.0, day[299].get("incoming"), 0.05); // 57.6 samples a bin: not an even split of 1s and 3s
        assertEquals(2.0, day[240].get("incoming"), 0.05, "five hours ago: from the five-minute averages");
        assertNull(day[0], "before the node started");
        assertNull(g.bins("unknown", now, 24_000, 150)[0]);
    }

    @Test
    void finishedAveragesAreHandedOverAndComeBackAfterARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        long t0 = 1_800_000_000_000L;
        try (p2pool4j.stats.Database db = p2pool4j.stats.Database.open(dir)) {
            p2pool4j.stats.GaugeStore store = new p2pool4j.stats.GaugeStore(db);
            GaugeHistory before = new GaugeHistory();
            java.util.List<java.util.concurrent.CompletableFuture<Void>> saves = new java.util.ArrayList<>();
            before.onCoarse((stream, s) -> saves.add(store.save(new p2pool4j.stats.GaugeStore.Sample(stream, s.timeMs(), s.values()))));
            for (long t = t0; t <= t0 + 3_600_000L; t += 5_000) {
                before.record("peers", t, Map.of("incoming", 4.0));
            }
            for (var f : saves) {
                f.get();
            }
            assertEquals(12, saves.size(), "one five-minute average per finished block of the hour");
            GaugeHistory after = new GaugeHistory(); // a restarted node
            store.load(0).get().forEach(s -> after.restore(s.stream(), s.timeMs(), s.values()));
            Map<String, Double>[] day = after.bins("peers", t0 + 3_600_000L, 288_000, 300);
            assertEquals(4.0, day[295].get("incoming"), 1e-9);
        }
    }
}
