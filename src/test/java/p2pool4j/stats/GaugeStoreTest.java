package p2pool4j.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GaugeStoreTest {
    @Test
    void samplesComeBackAsStoredAndADamagedRowLosesOnlyItself(@TempDir Path dir) throws Exception {
        long t0 = 1_800_000_000_000L;
        try (Database db = Database.open(dir)) {
            GaugeStore store = new GaugeStore(db);
            Map<String, Double> odd = new LinkedHashMap<>();
            odd.put("rate", 1.5e15);
            odd.put("none", Double.NaN);
            odd.put("up", Double.POSITIVE_INFINITY);
            odd.put("unknown", null);
            store.save(new GaugeStore.Sample("hashrate", t0, odd)).get();
            store.save(new GaugeStore.Sample("peers", t0 + 300_000, Map.of("incoming", 4.0))).get();
            store.save(new GaugeStore.Sample("peers", t0 + 600_000, Map.of("incoming", 5.0))).get();
            db.transaction(c -> {
                try (var st = c.createStatement()) {
                    st.executeUpdate("UPDATE gauge_samples SET v = '{\"incoming\": ' WHERE time_ms = " + (t0 + 300_000));
                }
                return null;
            }).get();

            List<GaugeStore.Sample> back = store.load(0).get();
            assertEquals(2, back.size(), "the damaged row is skipped, the others load");
            assertEquals(odd, back.get(0).values());
            assertTrue(back.get(0).values().get("none").isNaN());
            assertEquals(Map.of("incoming", 5.0), back.get(1).values());
        }
    }
}
