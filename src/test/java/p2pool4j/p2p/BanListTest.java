package p2pool4j.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Protocol spec 4.5 plus our hourly forgiveness. */
class BanListTest {
    @Test
    void durationGrowsWithTheSquareOfTheScore() {
        BanList b = new BanList();
        assertEquals(1000 + 3600, b.offence("10.1.2.3", BanList.BASE_MISBEHAVING, "bad checksum", 1000));
        assertEquals(1000 + 3600 * 4, b.offence("10.1.2.3", BanList.BASE_MISBEHAVING, "again", 1000));
        assertTrue(b.isBanned("10.1.2.3", 1000 + 3600 * 4 - 1));
        assertFalse(b.isBanned("10.1.2.3", 1000 + 3600 * 4));
        assertEquals(2000 + 30, b.offence("10.9.9.9", BanList.BASE_FAILED_REQUEST, "request failed", 2000));
    }

    @Test
    void onlyTheLoopbackItselfIsExempt() {
        BanList b = new BanList();
        assertEquals(0, b.offence("127.0.0.1", BanList.BASE_MISBEHAVING, "x", 0));
        assertEquals(0, b.offence("::1", BanList.BASE_MISBEHAVING, "x", 0));
        assertTrue(b.offence("127.0.0.2", BanList.BASE_MISBEHAVING, "x", 0) > 0, "as the reference: only 127.0.0.1");
        assertFalse(b.isBanned("127.0.0.1", 1));
    }

    @Test
    void scoresDecayOnePointPerQuietHour() {
        BanList b = new BanList();
        b.offence("10.0.0.1", BanList.BASE_FAILED_REQUEST, "x", 0);
        b.offence("10.0.0.1", BanList.BASE_FAILED_REQUEST, "x", 0);
        assertEquals(2, b.score("10.0.0.1"));
        b.decay(3600);
        assertEquals(1, b.score("10.0.0.1"));
        b.decay(7200);
        assertEquals(0, b.score("10.0.0.1"));
        assertTrue(b.active(7200).isEmpty());
        // The next offence starts from a clean slate again.
        assertEquals(7200 + 30, b.offence("10.0.0.1", BanList.BASE_FAILED_REQUEST, "x", 7200));
    }
}
