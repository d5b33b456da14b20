package p2pool4j.bitcoin;

import java.math.BigInteger;
import java.util.Arrays;

/** Base58 and Base58Check (version byte, payload, 4-byte double-SHA-256 checksum). */
public final class Base58 {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);
    private static final int MAX_INPUT = 128; // no address comes close; bounds the BigInteger work

    private Base58() {}

    public static String encode(byte[] data) {
        BigInteger n = new BigInteger(1, data);
        StringBuilder sb = new StringBuilder();
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(BASE);
            sb.append(ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        for (int i = 0; i < data.length && data[i] == 0; i++) {
            sb.append('1');
        }
        return sb.reverse().toString();
    }

    public static byte[] decode(String s) {
        if (s.isEmpty() || s.length() > MAX_INPUT) {
            throw new ParseException("base58 string of bad length");
        }
        BigInteger n = BigInteger.ZERO;
        for (int i = 0; i < s.length(); i++) {
            int d = ALPHABET.indexOf(s.charAt(i));
            if (d < 0) {
                throw new ParseException("invalid base58 character");
            }
            n = n.multiply(BASE).add(BigInteger.valueOf(d));
        }
        byte[] body = n.signum() == 0 ? new byte[0] : n.toByteArray();
        if (body.length > 1 && body[0] == 0) {
            body = Arrays.copyOfRange(body, 1, body.length);
        }
        int zeros = 0;
        while (zeros < s.length() && s.charAt(zeros) == '1') {
            zeros++;
        }
        byte[] out = new byte[zeros + body.length];
        System.arraycopy(body, 0, out, zeros, body.length);
        return out;
    }

    public static String encodeCheck(int version, byte[] payload) {
        byte[] data = new byte[1 + payload.length + 4];
        data[0] = (byte) version;
        System.arraycopy(payload, 0, data, 1, payload.length);
        byte[] check = Hashes.sha256d(data, 0, 1 + payload.length);
        System.arraycopy(check, 0, data, 1 + payload.length, 4);
        return encode(data);
    }

    /** Decodes and checks the checksum; returns version byte followed by payload. */
    public static byte[] decodeCheck(String s) {
        byte[] data = decode(s);
        if (data.length < 5) {
            throw new ParseException("base58check too short");
        }
        byte[] check = Hashes.sha256d(data, 0, data.length - 4);
        for (int i = 0; i < 4; i++) {
            if (check[i] != data[data.length - 4 + i]) {
                throw new ParseException("base58check checksum mismatch");
            }
        }
        return Arrays.copyOf(data, data.length - 4);
    }
}
