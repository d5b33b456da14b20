package p2pool4j.bitcoin;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A 32-byte hash in wire order (the raw digest bytes). Its integer value is the little-endian
 * reading of those bytes; {@link #toDisplayHex()} is the reversed form explorers and RPC show.
 */
public final class Sha256Hash implements Comparable<Sha256Hash> {
    public static final Sha256Hash ZERO = new Sha256Hash(new byte[32]);

    private final byte[] bytes;
    private final int hashCode;

    private Sha256Hash(byte[] bytes) {
        this.bytes = bytes;
        this.hashCode = (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8 | (bytes[2] & 0xff) << 16 | (bytes[3] & 0xff) << 24;
    }

    public static Sha256Hash wrap(byte[] wireOrder) {
        if (wireOrder.length != 32) {
            throw new IllegalArgumentException("a hash has 32 bytes, got " + wireOrder.length);
        }
        return new Sha256Hash(wireOrder.clone());
    }

    /** The 32 bytes of {@code from} at {@code off}, copied once. */
    public static Sha256Hash wrap(byte[] from, int off) {
        return new Sha256Hash(java.util.Arrays.copyOfRange(from, off, off + 32));
    }

    public static Sha256Hash fromWireHex(String hex) {
        return wrap(Hex.decode(hex));
    }

    /** From the reversed (explorer / RPC) hex form. */
    public static Sha256Hash fromDisplayHex(String hex) {
        byte[] b = Hex.decode(hex);
        if (b.length != 32) {
            throw new ParseException("a hash has 64 hex digits");
        }
        return new Sha256Hash(Hex.reverse(b));
    }

    public static Sha256Hash fromBigInteger(BigInteger v) {
        if (v.signum() < 0 || v.bitLength() > 256) {
            throw new IllegalArgumentException("not a 256-bit value");
        }
        byte[] be = v.toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return new Sha256Hash(le);
    }

    /** The wire bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    public BigInteger toBigInteger() {
        return new BigInteger(1, Hex.reverse(bytes));
    }

    public boolean isZero() {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    public String toWireHex() {
        return Hex.encode(bytes);
    }

    public String toDisplayHex() {
        return Hex.encode(Hex.reverse(bytes));
    }

    /** Writes the wire bytes into {@code dst} at {@code off}. */
    public void copyTo(byte[] dst, int off) {
        System.arraycopy(bytes, 0, dst, off, 32);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sha256Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    /** Numeric order (as the hashes' integer values). */
    @Override
    public int compareTo(Sha256Hash o) {
        for (int i = 31; i >= 0; i--) {
            int c = Integer.compare(bytes[i] & 0xff, o.bytes[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return toDisplayHex();
    }
}
