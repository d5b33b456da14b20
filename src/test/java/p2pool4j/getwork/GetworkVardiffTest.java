package p2pool4j.getwork;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import p2pool4j.work.Username;

/**
 * A getwork rig gets the pseudo-share difficulty its rate calls for, like a Stratum one: 16 quick
 * accepted submits raise it (by at most x4), a quiet minute halves it, and a pinned one (d=N or
 * +N) never moves. The clock is passed in.
 */
class GetworkVardiffTest {
    private final GetworkService getwork = new GetworkService(null, null, null, 1, 1e-9, 1e12, 10);

    @Test
    void aFastRigGetsAHarderDifficultyAndAQuietOneAnEasierOne() {
        Username rig = Username.parse("rig", "x");
        assertEquals(1, getwork.pseudoDifficulty(rig, 0), "starts at the port's start difficulty");
        for (int i = 0; i < 16; i++) {
            getwork.credit(rig, 1_000 + i * 100L); // 16 in 1.6 s, aiming at one per 10 s
        }
        assertEquals(4, getwork.pseudoDifficulty(rig, 3_000), "x4 at most per retarget");
        assertEquals(2, getwork.pseudoDifficulty(rig, 3_000 + 61_000), "halved after a quiet minute");
    }

    @Test
    void aPinnedDifficultyNeverMoves() {
        Username pinned = Username.parse("rig", "d=8");
        assertEquals(8, getwork.pseudoDifficulty(pinned, 0));
        for (int i = 0; i < 50; i++) {
            getwork.credit(pinned, i * 10L);
        }
        assertEquals(8, getwork.pseudoDifficulty(pinned, 1_000));
        assertEquals(8, getwork.pseudoDifficulty(pinned, 600_000));
    }
}
