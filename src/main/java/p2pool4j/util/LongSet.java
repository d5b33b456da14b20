package p2pool4j.util;

/**
 * A set of 64-bit keys with a hard capacity: open addressing with linear probing in one
 * {@code long[]}, grown by doubling up to {@code 2 x capacity} slots and never beyond, so its
 * memory is known in advance ({@link #maxBytes}). {@link #add} answers FULL instead of growing
 * past the cap; the owner decides what to forget. Not thread-safe (one owner, one event loop).
 * Key 0 is stored as a separate flag since 0 marks an empty slot.
 */
public final class LongSet {
    /** What {@link #add} did. */
    public enum Added { NEW, PRESENT, FULL }

    private static final int MIN_SLOTS = 16;
    private static final long[] NONE = new long[0];
    /** The largest array {@link #clear} keeps: the first one a set makes (8 keys). */
    private static final int REUSED_SLOTS = MIN_SLOTS;
    /** Bytes a cleared set may still hold: its kept array. */
    public static final long KEPT_BYTES = 8L * REUSED_SLOTS + 16;
    private final int capacity;
    private long[] slots;
    private int size;
    private boolean hasZero;

    /** @param capacity the most keys ever held (at least 1) */
    public LongSet(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        // No array until the first key: a session keeps 16 jobs, most of which never see a submit
        // from a slow rig (2.3 KB a session at 5,000 sessions, measured).
        this.slots = NONE;
    }

    /** Bytes the key array can reach: the bound to multiply by the number of owners. */
    public static long maxBytes(int capacity) {
        return 8L * slotsFor(capacity) + 16;
    }

    /** Bytes the key array holds now. */
    public long arrayBytes() {
        return 8L * slots.length + 16;
    }

    private static int slotsFor(int capacity) {
        return Integer.highestOneBit(Math.max(MIN_SLOTS / 2, capacity - 1)) << 2; // load factor at most 1/2
    }

    /**
     * Forgets every key. A small array is kept and zeroed, so an owner that reuses its set for the
     * next job allocates nothing; a grown one (a fast rig's) is dropped, so a reused set holds at
     * most {@link #KEPT_BYTES} more than a new one.
     */
    public void clear() {
        if (slots.length > REUSED_SLOTS) {
            slots = NONE;
        } else if (size > 0) {
            java.util.Arrays.fill(slots, 0L);
        }
        size = 0;
        hasZero = false;
    }

    public int size() {
        return size + (hasZero ? 1 : 0);
    }

    public Added add(long key) {
        if (key == 0) {
            if (hasZero) {
                return Added.PRESENT;
            }
            if (size() >= capacity) {
                return Added.FULL;
            }
            hasZero = true;
            return Added.NEW;
        }
        if (slots.length == 0) {
            slots = new long[Math.min(MIN_SLOTS, slotsFor(capacity))];
        }
        int mask = slots.length - 1;
        int i = mix(key) & mask;
        while (slots[i] != 0) {
            if (slots[i] == key) {
                return Added.PRESENT;
            }
            i = (i + 1) & mask;
        }
        if (size() >= capacity) {
            return Added.FULL;
        }
        slots[i] = key;
        size++;
        if (2 * size > slots.length) {
            grow();
        }
        return Added.NEW;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long k : old) {
            if (k != 0) {
                int i = mix(k) & mask;
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = k;
            }
        }
    }

    private static int mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        return (int) k;
    }

    /** A well-spread 64-bit key from two 64-bit words (murmur3's finalizer on each, then combined). */
    public static long key(long a, long b) {
        return fmix(a) * 31 + fmix(b ^ 0x9e3779b97f4a7c15L);
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
