package p2pool4j.bitcoin;

import java.util.Arrays;

/**
 * SHA-256 whose internal state can be exported and resumed. P2Pool's hash_link carries a raw
 * midstate (eight chaining words plus a byte count) that a verifier must continue from, and
 * getwork hands miners the state after the first 64 header bytes; the JDK's MessageDigest can do
 * neither, so the compression function lives here. Plain hashing uses {@link Hashes}, which is
 * faster (JDK intrinsics).
 */
public final class Sha256 {
    private static final int[] K = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
    };
    static final int[] IV = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    };

    private final int[] h;
    private final byte[] block = new byte[64];
    private int blockLen;
    private long byteCount;
    private final int[] w = new int[64];

    public Sha256() {
        h = IV.clone();
    }

    /**
     * Resumes from a midstate: {@code state} is the eight chaining words big-endian (standard
     * H0..H7 order), {@code length} the number of bytes already hashed, {@code tail} the bytes
     * beyond the last complete block ({@code length mod 64} of them).
     */
    public static Sha256 resume(byte[] state, long length, byte[] tail) {
        return new Sha256().reset(state, length, tail, 0, tail.length);
    }

    /**
     * {@link #resume} into this instance, whatever it held: lets a caller that hashes once per
     * miner submit keep one instance instead of allocating ~440 bytes of state each time. The
     * tail is {@code len} bytes of {@code tail} from {@code off}.
     */
    public Sha256 reset(byte[] state, long length, byte[] tail, int off, int len) {
        if (state.length != 32) {
            throw new ParseException("a SHA-256 state has 32 bytes");
        }
        if (length < 0 || len != (int) (length % 64)) {
            throw new ParseException("SHA-256 tail length does not match the byte count");
        }
        for (int i = 0; i < 8; i++) {
            h[i] = (state[4 * i] & 0xff) << 24 | (state[4 * i + 1] & 0xff) << 16
                    | (state[4 * i + 2] & 0xff) << 8 | (state[4 * i + 3] & 0xff);
        }
        System.arraycopy(tail, off, block, 0, len);
        blockLen = len;
        byteCount = length;
        return this;
    }

    public Sha256 update(byte[] data) {
        return update(data, 0, data.length);
    }

    public Sha256 update(byte[] data, int off, int len) {
        byteCount += len;
        while (len > 0) {
            int n = Math.min(len, 64 - blockLen);
            System.arraycopy(data, off, block, blockLen, n);
            blockLen += n;
            off += n;
            len -= n;
            if (blockLen == 64) {
                compress(block, 0);
                blockLen = 0;
            }
        }
        return this;
    }

    /** Chaining words after the last complete block, big-endian (hash_link / standard order). */
    public byte[] stateBigEndian() {
        byte[] out = new byte[32];
        for (int i = 0; i < 8; i++) {
            out[4 * i] = (byte) (h[i] >>> 24);
            out[4 * i + 1] = (byte) (h[i] >>> 16);
            out[4 * i + 2] = (byte) (h[i] >>> 8);
            out[4 * i + 3] = (byte) h[i];
        }
        return out;
    }

    /** Chaining words each written little-endian: the getwork {@code midstate} form. */
    public byte[] stateLittleEndianWords() {
        byte[] out = new byte[32];
        for (int i = 0; i < 8; i++) {
            out[4 * i] = (byte) h[i];
            out[4 * i + 1] = (byte) (h[i] >>> 8);
            out[4 * i + 2] = (byte) (h[i] >>> 16);
            out[4 * i + 3] = (byte) (h[i] >>> 24);
        }
        return out;
    }

    public long byteCount() {
        return byteCount;
    }

    /** Bytes buffered beyond the last complete block. */
    public byte[] tail() {
        return Arrays.copyOf(block, blockLen);
    }

    /** Finishes the hash; the object must not be used afterwards except to {@link #reset} it. */
    public byte[] digest() {
        long bits = byteCount * 8;
        byte[] pad = new byte[(blockLen < 56 ? 56 : 120) - blockLen + 8];
        pad[0] = (byte) 0x80;
        for (int i = 0; i < 8; i++) {
            pad[pad.length - 1 - i] = (byte) (bits >>> (8 * i));
        }
        long saved = byteCount;
        update(pad);
        byteCount = saved;
        return stateBigEndian();
    }

    private void compress(byte[] b, int off) {
        for (int i = 0; i < 16; i++) {
            int j = off + 4 * i;
            w[i] = (b[j] & 0xff) << 24 | (b[j + 1] & 0xff) << 16 | (b[j + 2] & 0xff) << 8 | (b[j + 3] & 0xff);
        }
        for (int i = 16; i < 64; i++) {
            int s0 = Integer.rotateRight(w[i - 15], 7) ^ Integer.rotateRight(w[i - 15], 18) ^ (w[i - 15] >>> 3);
            int s1 = Integer.rotateRight(w[i - 2], 17) ^ Integer.rotateRight(w[i - 2], 19) ^ (w[i - 2] >>> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        int a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int i = 0; i < 64; i++) {
            int s1 = Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
            int ch = (e & f) ^ (~e & g);
            int t1 = hh + s1 + ch + K[i] + w[i];
            int s0 = Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
            int maj = (a & bb) ^ (a & c) ^ (bb & c);
            int t2 = s0 + maj;
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = bb;
            bb = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += bb;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
    }
}
