package p2pool4j.work;

/** BIP310 version rolling: the bits a miner may roll, and applying its submitted bits. */
public final class VersionRolling {
    /** BIP320's general-purpose bits 13-28, as the reference and ckpool offer. */
    public static final long SERVER_MASK = 0x1fffe000L;

    private VersionRolling() {}

    /** The mask agreed with a miner that offered {@code minerMask}. */
    public static long negotiate(long minerMask) {
        return SERVER_MASK & minerMask;
    }

    /** @return the header version, or -1 when the miner set bits outside the agreed mask */
    public static long apply(long jobVersion, long versionBits, long mask) {
        if ((versionBits & ~mask) != 0) {
            return -1;
        }
        return (jobVersion & ~mask) | (versionBits & mask);
    }
}
