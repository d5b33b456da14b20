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

    /** True when {@code hex} spells exactly {@code bytes} (either case), without decoding it into a new array. */
    public static boolean matches(String hex, byte[] bytes) {
        if (hex.length() != 2 * bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            char hi = hex.charAt(2 * i);
            char lo = hex.charAt(2 * i + 1);
            if (!HexFormat.isHexDigit(hi) || !HexFormat.isHexDigit(lo)
                    || (HexFormat.fromHexDigit(hi) << 4 | HexFormat.fromHexDigit(lo)) != (bytes[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    public static byte[] reverse(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
