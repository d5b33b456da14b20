package p2pool4j.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Miner spec 4.2: the reference's username grammar. */
class UsernameTest {
    @Test
    void theSpecsExamples() {
        Username a = Username.parse("1Abc", "x");
        assertEquals("1Abc", a.address());
        assertEquals("1Abc", a.workerKey());
        assertNull(a.pseudoDifficulty());
        assertEquals("1Abc.rig1", Username.parse("1Abc.rig1", "").workerKey());
        assertEquals("1Abc.rig1", Username.parse("1Abc_rig1", "").workerKey());
        Username pinned = Username.parse("1Abc.rig1+4096", "");
        assertEquals(4096.0, pinned.pseudoDifficulty());
        assertEquals("1Abc.rig1", pinned.workerKey());
        Username both = Username.parse("1Abc/2000000+512", "");
        assertEquals("1Abc", both.workerKey());
        assertEquals(512.0, both.pseudoDifficulty());
        assertEquals(2_000_000.0, both.shareDifficulty());
        assertEquals("bob", Username.parse("bob", "").address());
    }

    @Test
    void underscoreWinsAndOnlyOneWorkerComponentSurvives() {
        assertEquals("addr.a", Username.parse("addr.a.b", "").workerKey());
        Username u = Username.parse("addr_w1.x", "");
        assertEquals("addr", u.address());
        assertEquals("w1.x", u.worker());
    }

    @Test
    void laterSuffixesWinAndBadNumbersAreIgnored() {
        Username u = Username.parse("a+1+2/x/300", "");
        assertEquals(2.0, u.pseudoDifficulty());
        assertEquals(300.0, u.shareDifficulty());
        assertNull(Username.parse("a+abc", "").pseudoDifficulty());
        assertNull(Username.parse("a+-5", "").pseudoDifficulty());
        assertEquals(64.0, Username.parse("a", "d=64").pseudoDifficulty());
        assertEquals("", Username.parse(null, null).address());
        assertEquals(Username.MAX_LENGTH, Username.parse("x".repeat(10_000), "").address().length());
    }

    @Test
    void versionRollingFollowsBip310() {
        assertEquals(0x1fffe000L, VersionRolling.negotiate(0xffffffffL));
        assertEquals(0x00006000L, VersionRolling.negotiate(0x00006000L));
        long mask = VersionRolling.negotiate(0xffffffffL);
        assertEquals(0x24d46000L, VersionRolling.apply(0x20000000L, 0x04d46000L, mask));
        assertEquals(-1, VersionRolling.apply(0x20000000L, 0x40000000L, mask), "bits outside the mask");
        assertEquals(0x20000000L, VersionRolling.apply(0x20000000L, 0, 0), "a zero sixth parameter without configure");
    }
}
