package p2pool4j.bitcoin;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;

/** The hash functions of Bitcoin. SHA-256 from the JDK (intrinsified), RIPEMD-160 from BouncyCastle's lightweight API. */
public final class Hashes {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    });

    private Hashes() {}

    public static byte[] sha256(byte[] data) {
        return sha256(data, 0, data.length);
    }

    public static byte[] sha256(byte[] data, int off, int len) {
        MessageDigest md = SHA256.get();
        md.update(data, off, len);
        return md.digest();
    }

    /** SHA-256(SHA-256(x)), the raw digest (wire order). */
    public static byte[] sha256d(byte[] data) {
        return sha256d(data, 0, data.length);
    }

    public static byte[] sha256d(byte[] data, int off, int len) {
        MessageDigest md = SHA256.get();
        md.update(data, off, len);
        byte[] first = md.digest();
        return md.digest(first);
    }

    /**
     * SHA-256(SHA-256(the 64 bytes of {@code pair})) written into {@code out} at {@code off}, with no
     * allocation: a merkle step. {@code out} may be {@code pair} itself (the input is read first).
     */
    public static void sha256dInto(byte[] pair, byte[] out, int off) {
        MessageDigest md = SHA256.get();
        try {
            md.update(pair, 0, 64);
            md.digest(out, off, 32);
            md.update(out, off, 32);
            md.digest(out, off, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("a SHA-256 digest does not fit 32 bytes", e);
        }
    }

    public static Sha256Hash hash256(byte[] data) {
        return Sha256Hash.wrap(sha256d(data));
    }

    /** H(a || b): one merkle tree step. */
    public static Sha256Hash hash256(Sha256Hash a, Sha256Hash b) {
        byte[] buf = new byte[64];
        a.copyTo(buf, 0);
        b.copyTo(buf, 32);
        return Sha256Hash.wrap(sha256d(buf));
    }

    public static byte[] ripemd160(byte[] data) {
        RIPEMD160Digest d = new RIPEMD160Digest();
        d.update(data, 0, data.length);
        byte[] out = new byte[20];
        d.doFinal(out, 0);
        return out;
    }

    /** RIPEMD-160(SHA-256(x)): the payload of P2PKH and P2WPKH. */
    public static byte[] hash160(byte[] data) {
        return ripemd160(sha256(data));
    }
}
