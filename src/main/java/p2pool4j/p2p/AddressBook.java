package p2pool4j.p2p;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Known peer addresses (protocol spec 4.4): (host, port) -&gt; services, first and last seen; at
 * most 10,000 entries. Peers are chosen by the reference's "good peers" ranking: long-known and
 * recently seen first, randomised. Single-threaded; persisted by the peer manager.
 */
public final class AddressBook {
    public static final int MAX_ENTRIES = 10_000;

    public record Key(String host, int port) {}

    public record Entry(long services, long firstSeen, long lastSeen) {}

    private final Map<Key, Entry> entries = new HashMap<>();

    public int size() {
        return entries.size();
    }

    /** Adds or refreshes an address; new ones only while below the limit. */
    public void seen(String host, int port, long services, long timestamp) {
        Key k = new Key(host, port);
        Entry old = entries.get(k);
        if (old == null) {
            if (entries.size() < MAX_ENTRIES) {
                entries.put(k, new Entry(services, timestamp, timestamp));
            }
        } else {
            entries.put(k, new Entry(services, old.firstSeen(), Math.max(old.lastSeen(), timestamp)));
        }
    }

    public void remove(String host, int port) {
        entries.remove(new Key(host, port));
    }

    public Map<Key, Entry> entries() {
        return Map.copyOf(entries);
    }

    /** The first {@code k} addresses by -ln(max(3600, last-first)) / ln(max(3600, now-last)) * Exp(1), ascending. */
    public List<Map.Entry<Key, Entry>> good(int k, long now, Random rnd) {
        List<Map.Entry<Key, Entry>> list = new ArrayList<>(entries.entrySet());
        Map<Key, Double> score = new HashMap<>();
        for (Map.Entry<Key, Entry> e : list) {
            double age = Math.log(Math.max(3600, e.getValue().lastSeen() - e.getValue().firstSeen()));
            double staleness = Math.log(Math.max(3600, now - e.getValue().lastSeen()));
            double exp = -Math.log(1 - rnd.nextDouble());
            score.put(e.getKey(), -age / staleness * exp);
        }
        list.sort(Comparator.comparingDouble(e -> score.get(e.getKey())));
        return list.subList(0, Math.min(k, list.size()));
    }
}
