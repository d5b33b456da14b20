package p2pool4j.bitcoin;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked little-endian reader over untrusted bytes. Every length and count read from the
 * input is checked against what is left before anything is allocated, so a hostile varint can
 * never make us allocate more than the message itself.
 */
public final class ByteReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    public ByteReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new IllegalArgumentException("slice out of range");
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean atEnd() {
        return pos == end;
    }

    /** The whole payload must be consumed: trailing bytes are a parse error. */
    public void expectEnd(String what) {
        if (pos != end) {
            throw new ParseException(what + ": " + (end - pos) + " trailing bytes");
        }
    }

    private void need(int n) {
        if (n < 0 || end - pos < n) {
            throw new ParseException("truncated: need " + n + " bytes, have " + (end - pos));
        }
    }

    public int u8() {
        need(1);
        return buf[pos++] & 0xff;
    }

    public int u16le() {
        need(2);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    public int u16be() {
        need(2);
        int v = (buf[pos] & 0xff) << 8 | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    /** Unsigned 32-bit, returned in a long. */
    public long u32le() {
        need(4);
        long v = (buf[pos] & 0xffL) | (buf[pos + 1] & 0xffL) << 8 | (buf[pos + 2] & 0xffL) << 16
                | (buf[pos + 3] & 0xffL) << 24;
        pos += 4;
        return v;
    }

    /** 64 bits; values above 2^63-1 come back negative (use Long.toUnsignedString to show them). */
    public long u64le() {
        need(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (buf[pos + i] & 0xffL);
        }
        pos += 8;
        return v;
    }

    /** Unsigned little-endian integer of n bytes (u128, u160, u256). */
    public BigInteger uintLE(int n) {
        return new BigInteger(1, Hex.reverse(bytes(n)));
    }

    public byte[] bytes(int n) {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    public Sha256Hash hash() {
        return Sha256Hash.wrap(bytes(32));
    }

    /** Bitcoin CompactSize; non-canonical encodings are rejected. Values >= 2^63 come back negative. */
    public long varint() {
        int first = u8();
        if (first < 0xfd) {
            return first;
        }
        if (first == 0xfd) {
            long v = u16le();
            if (v < 0xfd) {
                throw new ParseException("non-canonical varint");
            }
            return v;
        }
        if (first == 0xfe) {
            long v = u32le();
            if (v <= 0xffff) {
                throw new ParseException("non-canonical varint");
            }
            return v;
        }
        long v = u64le();
        if (Long.compareUnsigned(v, 0xffffffffL) <= 0) {
            throw new ParseException("non-canonical varint");
        }
        return v;
    }

    /** A varint that must not exceed {@code max}. */
    public long varint(long max) {
        long v = varint();
        if (v < 0 || v > max) {
            throw new ParseException("value " + Long.toUnsignedString(v) + " above limit " + max);
        }
        return v;
    }

    /**
     * A count of items each at least {@code minItemBytes} long: rejected when the rest of the
     * input could not possibly hold that many, or when above {@code max}.
     */
    public int count(int minItemBytes, int max) {
        long n = varint();
        if (n < 0 || n > max) {
            throw new ParseException("count " + Long.toUnsignedString(n) + " above limit " + max);
        }
        if (minItemBytes > 0 && n > remaining() / minItemBytes) {
            throw new ParseException("count " + n + " larger than the remaining input");
        }
        return (int) n;
    }

    public byte[] varStr(int maxLen) {
        long n = varint();
        if (n < 0 || n > maxLen) {
            throw new ParseException("string length " + Long.toUnsignedString(n) + " above limit " + maxLen);
        }
        return bytes((int) n);
    }

    public String varStrAscii(int maxLen) {
        return new String(varStr(maxLen), StandardCharsets.ISO_8859_1);
    }
}
