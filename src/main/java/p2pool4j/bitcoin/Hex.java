package p2pool4j.bitcoin;

import java.util.HexFormat;

/** Lowercase hex, the form every vector, RPC call and log line uses. */
public final class Hex {
    private static final HexFormat HEX = HexFormat.of();

    private Hex() {}

    public static String encode(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** @throws ParseException on odd length or a non-hex character */
    public static byte[] decode(String hex) {
        return decode((CharSequence) hex);
    }

    private static byte[] decode(CharSequence hex) {
        if ((hex.length() & 1) != 0) {
            throw new ParseException("odd-length hex string");
        }
        try {
            return HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new ParseException("invalid hex string");
        }
    }

    /** Decodes {@code len} hex characters (either case) from {@code chars} at {@code off}, without a String in between. */
    public static byte[] decode(char[] chars, int off, int len) {
        return decode(java.nio.CharBuffer.wrap(chars, off, len));
    }

    public static byte[] reverse(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
