package p2pool4j.stats;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The five-minute averages of the web's gauge streams on disk, so their graphs survive a restart
 * (as the reference's graph database does). Kept {@value #KEEP_DAYS} days.
 */
public final class GaugeStore {
    public static final int KEEP_DAYS = 31;

    /** One stored sample. */
    public record Sample(String stream, long timeMs, Map<String, Double> values) {}

    private final Database db;

    public GaugeStore(Database db) {
        this.db = db;
    }

    /** Stores one sample and forgets those past {@value #KEEP_DAYS} days. */
    public CompletableFuture<Void> save(Sample s) {
        String text = new JsonObject(new LinkedHashMap<>(s.values())).encode();
        return db.transaction(c -> {
            try (PreparedStatement ins = c.prepareStatement("INSERT OR REPLACE INTO gauge_samples (stream, time_ms, v) VALUES (?,?,?)");
                    PreparedStatement del = c.prepareStatement("DELETE FROM gauge_samples WHERE time_ms < ?")) {
                ins.setString(1, s.stream());
                ins.setLong(2, s.timeMs());
                ins.setString(3, text);
                ins.executeUpdate();
                del.setLong(1, s.timeMs() - KEEP_DAYS * 86_400_000L);
                del.executeUpdate();
            }
            return null;
        });
    }

    /** Samples since {@code sinceMs}, oldest first; unreadable rows are skipped. */
    public CompletableFuture<List<Sample>> load(long sinceMs) {
        return db.run(c -> {
            List<Sample> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT stream, time_ms, v FROM gauge_samples WHERE time_ms >= ? ORDER BY time_ms")) {
                p.setLong(1, sinceMs);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        Map<String, Double> values = values(r.getString(3));
                        if (values != null) {
                            out.add(new Sample(r.getString(1), r.getLong(2), values));
                        }
                    }
                }
            }
            return out;
        });
    }

    /** A stored row's values, or null when it is damaged: a damaged row loses one point of one graph, nothing more. */
    private static Map<String, Double> values(String text) {
        try {
            Map<String, Double> values = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : new JsonObject(text == null ? "" : text)) {
                Object v = e.getValue();
                if (v == null) {
                    values.put(e.getKey(), null);
                } else if (v instanceof Number n) {
                    values.put(e.getKey(), n.doubleValue());
                } else if (v instanceof String t && (t.equals("NaN") || t.endsWith("Infinity"))) {
                    values.put(e.getKey(), Double.parseDouble(t)); // how Jackson writes the doubles JSON has no number for
                } else {
                    return null;
                }
            }
            return values;
        } catch (DecodeException | NumberFormatException e) {
            return null;
        }
    }
}
