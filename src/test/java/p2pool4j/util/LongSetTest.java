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
    void theKeyArrayBoundIsWhatItSays() {
        assertEquals(8L * 2048 + 16, LongSet.maxBytes(1024));
    }
}
