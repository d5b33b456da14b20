package p2pool4j.sharechain;

import java.math.BigInteger;
import p2pool4j.bitcoin.Targets;

/**
 * The target and work of a compact "bits" value, shared by every share that carries it. A chain
 * of 8,640 shares holds a handful of distinct bits, so interning them keeps four BigIntegers per
 * share (about 350 bytes) out of the heap. A fixed table: an entry is immutable, a slot that two
 * threads race to fill just ends up holding one of two equal entries.
 */
record BitsTargets(long bits, BigInteger target, BigInteger work) {
    private static final int SLOTS = 256;
    private static final BitsTargets[] TABLE = new BitsTargets[SLOTS];

    static BitsTargets of(long bits) {
        int slot = (int) ((bits ^ bits >>> 24) * 0x9E3779B1L >>> 24) & (SLOTS - 1);
        BitsTargets e = TABLE[slot];
        if (e == null || e.bits != bits) {
            BigInteger t = Targets.fromBits(bits);
            e = new BitsTargets(bits, t, Targets.attempts(t));
            TABLE[slot] = e;
        }
        return e;
    }
}
