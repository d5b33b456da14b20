package p2pool4j.util;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Size-bounded maps and sets that forget their eldest entry: every cache of something a stranger controls needs one. */
public final class Lru {
    private Lru() {}

    /** @param accessOrder true: reads refresh an entry (LRU); false: the oldest insertion goes first (FIFO) */
    public static <K, V> Map<K, V> map(int max, boolean accessOrder) {
        return new LinkedHashMap<>(16, 0.75f, accessOrder) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    public static <T> Set<T> set(int max) {
        return Collections.newSetFromMap(map(max, false));
    }
}
