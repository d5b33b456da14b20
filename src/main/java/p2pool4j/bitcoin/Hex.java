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
        if ((len & 1) != 0) {
            throw new ParseException("odd-length hex string");
        }
        byte[] out = new byte[len / 2];
        for (int i = 0; i < out.length; i++) {
            char hi = chars[off + 2 * i];
            char lo = chars[off + 2 * i + 1];
            if (!HexFormat.isHexDigit(hi) || !HexFormat.isHexDigit(lo)) {
                throw new ParseException("invalid hex string");
            }
            out[i] = (byte) (HexFormat.fromHexDigit(hi) << 4 | HexFormat.fromHexDigit(lo));
        }
        return out;
    }

    public static byte[] reverse(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
