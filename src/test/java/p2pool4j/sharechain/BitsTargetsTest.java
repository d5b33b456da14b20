package p2pool4j.sharechain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Targets;

class BitsTargetsTest {
    @Test
    void everyBitsGetsItsOwnTargetAndWorkEvenWhenSlotsCollide() {
        // 5,000 values over 256 slots: most lookups land on a slot another value holds.
        for (int round = 0; round < 2; round++) {
            for (long i = 0; i < 5_000; i++) {
                long bits = 0x1b000000L + i * 0x3f1L;
                BitsTargets e = BitsTargets.of(bits);
                assertEquals(bits, e.bits());
                assertEquals(Targets.fromBits(bits), e.target());
                assertEquals(Targets.attempts(Targets.fromBits(bits)), e.work());
            }
        }
    }

    @Test
    void sharesWithTheSameBitsShareOneEntry() {
        assertSame(BitsTargets.of(0x1d00ffffL), BitsTargets.of(0x1d00ffffL));
    }
}
