package p2pool4j.bitcoin;

import java.math.BigInteger;

/**
 * Compact "bits" &lt;-&gt; 256-bit targets, work ("attempts") and display difficulty. Exact integer
 * arithmetic except {@link #difficulty}, which is for display only.
 */
public final class Targets {
    public static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);
    public static final BigInteger MAX_256 = TWO_256.subtract(BigInteger.ONE);
    /** The difficulty-1 target 0xffff * 2^208 (bdiff). */
    public static final BigInteger DIFF1 = BigInteger.valueOf(0xffffL).shiftLeft(208);

    private Targets() {}

    /** target(bits): no sign bit, no validation (as P2Pool's FloatingInteger). */
    public static BigInteger fromBits(long bits) {
        int e = (int) (bits >>> 24) & 0xff;
        BigInteger mantissa = BigInteger.valueOf(bits & 0x00ffffffL);
        return e >= 3 ? mantissa.shiftLeft(8 * (e - 3)) : mantissa.shiftRight(8 * (3 - e));
    }

    /** compact(t), rounding down: target(toBits(t)) &lt;= t. */
    public static long toBits(BigInteger target) {
        if (target.signum() < 0) {
            throw new IllegalArgumentException("negative target");
        }
        if (target.signum() == 0) {
            return 0;
        }
        byte[] n = target.toByteArray(); // big-endian, with a leading 00 when the top bit is set
        int start = 0;
        while (start < n.length - 1 && n[start] == 0 && (n[start + 1] & 0x80) == 0) {
            start++;
        }
        int len = n.length - start;
        long mantissa = 0;
        for (int i = 0; i < 3; i++) {
            mantissa = mantissa << 8 | (start + i < n.length ? n[start + i] & 0xff : 0);
        }
        return ((long) len << 24) | mantissa;
    }

    /** att(t) = floor(2^256 / (t + 1)): expected hashes to find one at or below t. */
    public static BigInteger attempts(BigInteger target) {
        return TWO_256.divide(target.add(BigInteger.ONE));
    }

    /** Difficulty for display: (0xffff0000 * 2^192 + 1) / (t + 1), as P2Pool prints it. */
    public static double difficulty(BigInteger target) {
        BigInteger num = BigInteger.valueOf(0xffff0000L).shiftLeft(192).add(BigInteger.ONE);
        return divideToDouble(num, target.add(BigInteger.ONE));
    }

    private static final double DIFF1_DOUBLE = DIFF1.doubleValue();

    /** Pool-style difficulty (bdiff) of a target: DIFF1 / target, display only (double precision is plenty). */
    public static double bdiff(BigInteger target) {
        return DIFF1_DOUBLE / target.max(BigInteger.ONE).doubleValue();
    }

    /** The target of a bdiff difficulty, rounded down; for miner-facing difficulty, never consensus. */
    public static BigInteger fromBdiff(double difficulty) {
        if (!(difficulty > 0) || Double.isInfinite(difficulty)) {
            throw new IllegalArgumentException("difficulty must be a positive number");
        }
        // DIFF1 / d computed as DIFF1 * 2^k / round(d * 2^k) to keep integer precision.
        BigInteger scaled = new java.math.BigDecimal(difficulty).multiply(new java.math.BigDecimal(BigInteger.ONE.shiftLeft(64))).toBigInteger();
        if (scaled.signum() == 0) {
            return MAX_256;
        }
        BigInteger t = DIFF1.shiftLeft(64).divide(scaled);
        return t.min(MAX_256);
    }

    private static double divideToDouble(BigInteger a, BigInteger b) {
        return new java.math.BigDecimal(a).divide(new java.math.BigDecimal(b), java.math.MathContext.DECIMAL64).doubleValue();
    }
}
