package p2pool4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A set that never grows past its capacity: new keys, present keys and a full set are told apart, zero included. */
class LongSetTest {
    @Test
    void keysUpToTheCapacityThenFull() {
        LongSet s = new LongSet(1000);
        for (long i = 0; i < 1000; i++) {
            assertEquals(LongSet.Added.NEW, s.add(LongSet.key(i, 7)));
        }
        assertEquals(1000, s.size());
        for (long i = 0; i < 1000; i++) {
            assertEquals(LongSet.Added.PRESENT, s.add(LongSet.key(i, 7)), "a duplicate is still seen when full");
        }
        assertEquals(LongSet.Added.FULL, s.add(LongSet.key(5000, 7)));
        assertEquals(1000, s.size());
    }

    @Test
    void zeroIsAKeyLikeAnyOther() {
        LongSet s = new LongSet(2);
        assertEquals(LongSet.Added.NEW, s.add(0));
        assertEquals(LongSet.Added.PRESENT, s.add(0));
        assertEquals(LongSet.Added.NEW, s.add(42));
        assertEquals(LongSet.Added.FULL, s.add(43));
    }

    @Test
    void aSetHoldsNoArrayUntilItsFirstKey() {
        LongSet s = new LongSet(1024);
        assertEquals(16, s.arrayBytes());
        s.add(0); // zero is a flag, not a slot
        assertEquals(16, s.arrayBytes());
        s.add(42);
        assertEquals(8L * 16 + 16, s.arrayBytes());
    }

    @Test
    void aClearedSetForgetsItsKeysAndKeepsOnlyASmallArray() {
        LongSet small = new LongSet(1024);
        small.add(0);
        small.add(LongSet.key(1, 2));
        small.clear();
        assertEquals(0, small.size());
        assertEquals(LongSet.Added.NEW, small.add(0), "zero forgotten too");
        assertEquals(LongSet.Added.NEW, small.add(LongSet.key(1, 2)));
        assertEquals(LongSet.KEPT_BYTES, small.arrayBytes(), "the first array is kept for the next job");

        LongSet grown = new LongSet(1024);
        for (long i = 1; i <= 500; i++) {
            grown.add(LongSet.key(i, 7));
        }
        grown.clear();
        assertEquals(16, grown.arrayBytes(), "a grown array is dropped: a reused set holds no more than a new one");
        for (long i = 1; i <= 1024; i++) {
            assertEquals(LongSet.Added.NEW, grown.add(LongSet.key(i, 7)));
        }
        assertEquals(LongSet.Added.FULL, grown.add(LongSet.key(2000, 7)), "the capacity still holds after a clear");
    }

    @Test
    void theKeyArrayBoundIsWhatItSays() {
        assertEquals(8L * 2048 + 16, LongSet.maxBytes(1024));
    }
}
