package p2pool4j.bitcoin;

import java.math.BigInteger;
import java.util.Arrays;

/** Growable little-endian writer; the counterpart of {@link ByteReader}. */
public final class ByteWriter {
    private byte[] buf;
    private int len;

    public ByteWriter() {
        this(64);
    }

    public ByteWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    public int size() {
        return len;
    }

    /**
     * The bytes written. When they fill the buffer exactly (a writer sized for what it writes, as a
     * header's is) the buffer itself is handed over: any later write outgrows it and copies first,
     * so the array returned never changes.
     */
    public byte[] toByteArray() {
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    public ByteWriter u8(int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public ByteWriter u16le(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        ensure(2);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        return this;
    }

    public ByteWriter u16be(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public ByteWriter u32le(long v) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException("u32 out of range: " + v);
        }
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** 64 raw bits (unsigned interpretation of negative values). */
    public ByteWriter u64le(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public ByteWriter uintLE(BigInteger v, int n) {
        if (v.signum() < 0 || v.bitLength() > 8 * n) {
            throw new IllegalArgumentException("value does not fit in " + n + " bytes");
        }
        byte[] be = v.toByteArray();
        ensure(n);
        for (int i = 0; i < n; i++) {
            int src = be.length - 1 - i;
            buf[len++] = src >= 0 ? be[src] : 0;
        }
        return this;
    }

    public ByteWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    public ByteWriter hash(Sha256Hash h) {
        ensure(32);
        h.copyTo(buf, len);
        len += 32;
        return this;
    }

    /** CompactSize of an unsigned 64-bit value. */
    public ByteWriter varint(long v) {
        if (v >= 0 && v < 0xfd) {
            return u8((int) v);
        }
        if (v >= 0 && v <= 0xffff) {
            return u8(0xfd).u16le((int) v);
        }
        if (v >= 0 && v <= 0xffffffffL) {
            return u8(0xfe).u32le(v);
        }
        return u8(0xff).u64le(v);
    }

    public ByteWriter varStr(byte[] b) {
        return varint(b.length).bytes(b);
    }

    public static int varintSize(long v) {
        if (v >= 0 && v < 0xfd) {
            return 1;
        }
        if (v >= 0 && v <= 0xffff) {
            return 3;
        }
        if (v >= 0 && v <= 0xffffffffL) {
            return 5;
        }
        return 9;
    }
}
