package p2pool4j.bitcoin;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** Bech32 (BIP173) and Bech32m (BIP350) encoding, and segwit address payloads. */
public final class Bech32 {
    public enum Variant {
        BECH32(1), BECH32M(0x2bc830a3);

        final int constant;

        Variant(int constant) {
            this.constant = constant;
        }
    }

    /** A decoded string: human-readable part, 5-bit data (without checksum), variant. */
    public record Decoded(String hrp, byte[] data, Variant variant) {}

    /** A segwit output: witness version and program. */
    public record WitnessProgram(int version, byte[] program, Variant variant) {}

    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GEN = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};

    private Bech32() {}

    private static int polymod(byte[] values) {
        int chk = 1;
        for (byte v : values) {
            int top = chk >>> 25;
            chk = (chk & 0x1ffffff) << 5 ^ (v & 0xff);
            for (int i = 0; i < 5; i++) {
                if (((top >>> i) & 1) != 0) {
                    chk ^= GEN[i];
                }
            }
        }
        return chk;
    }

    private static byte[] hrpExpand(String hrp) {
        byte[] out = new byte[hrp.length() * 2 + 1];
        for (int i = 0; i < hrp.length(); i++) {
            out[i] = (byte) (hrp.charAt(i) >>> 5);
            out[i + hrp.length() + 1] = (byte) (hrp.charAt(i) & 31);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public static String encode(String hrp, byte[] data5, Variant variant) {
        byte[] values = concat(concat(hrpExpand(hrp), data5), new byte[6]);
        int mod = polymod(values) ^ variant.constant;
        StringBuilder sb = new StringBuilder(hrp).append('1');
        for (byte b : data5) {
            sb.append(CHARSET.charAt(b));
        }
        for (int i = 0; i < 6; i++) {
            sb.append(CHARSET.charAt((mod >>> (5 * (5 - i))) & 31));
        }
        return sb.toString();
    }

    public static Decoded decode(String s) {
        if (s.length() < 8 || s.length() > 90) {
            throw new ParseException("bech32 string of bad length");
        }
        boolean lower = false, upper = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126) {
                throw new ParseException("bech32 character out of range");
            }
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        if (lower && upper) {
            throw new ParseException("bech32 string mixes cases");
        }
        String str = s.toLowerCase(Locale.ROOT);
        int pos = str.lastIndexOf('1');
        if (pos < 1 || pos + 7 > str.length()) {
            throw new ParseException("bech32 separator misplaced");
        }
        String hrp = str.substring(0, pos);
        byte[] data = new byte[str.length() - pos - 1];
        for (int i = 0; i < data.length; i++) {
            int d = CHARSET.indexOf(str.charAt(pos + 1 + i));
            if (d < 0) {
                throw new ParseException("invalid bech32 character");
            }
            data[i] = (byte) d;
        }
        int mod = polymod(concat(hrpExpand(hrp), data));
        Variant v;
        if (mod == Variant.BECH32.constant) {
            v = Variant.BECH32;
        } else if (mod == Variant.BECH32M.constant) {
            v = Variant.BECH32M;
        } else {
            throw new ParseException("bech32 checksum mismatch");
        }
        byte[] payload = new byte[data.length - 6];
        System.arraycopy(data, 0, payload, 0, payload.length);
        return new Decoded(hrp, payload, v);
    }

    public static byte[] convertBits(byte[] in, int from, int to, boolean pad) {
        int acc = 0, bits = 0;
        int maxv = (1 << to) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : in) {
            int value = b & 0xff;
            if ((value >>> from) != 0) {
                throw new ParseException("bech32 data value out of range");
            }
            acc = acc << from | value;
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >>> bits) & maxv);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (to - bits)) & maxv);
            }
        } else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) {
            throw new ParseException("bech32 padding invalid");
        }
        return out.toByteArray();
    }

    /**
     * Decodes a segwit address for {@code hrp}, enforcing BIP350: version 0 uses bech32, others bech32m.
     */
    public static WitnessProgram decodeSegwit(String hrp, String addr) {
        Decoded d = decode(addr);
        if (!d.hrp().equals(hrp)) {
            throw new ParseException("address is for another network (hrp " + d.hrp() + ")");
        }
        if (d.data().length < 1) {
            throw new ParseException("empty witness data");
        }
        int version = d.data()[0];
        if (version > 16) {
            throw new ParseException("witness version above 16");
        }
        byte[] data5 = new byte[d.data().length - 1];
        System.arraycopy(d.data(), 1, data5, 0, data5.length);
        byte[] program = convertBits(data5, 5, 8, false);
        if (program.length < 2 || program.length > 40) {
            throw new ParseException("witness program of bad length");
        }
        if (version == 0 && program.length != 20 && program.length != 32) {
            throw new ParseException("v0 witness program must be 20 or 32 bytes");
        }
        Variant expected = version == 0 ? Variant.BECH32 : Variant.BECH32M;
        if (d.variant() != expected) {
            throw new ParseException("witness v" + version + " requires " + expected);
        }
        return new WitnessProgram(version, program, d.variant());
    }

    public static String encodeSegwit(String hrp, int version, byte[] program) {
        byte[] conv = convertBits(program, 8, 5, true);
        byte[] data = new byte[conv.length + 1];
        data[0] = (byte) version;
        System.arraycopy(conv, 0, data, 1, conv.length);
        return encode(hrp, data, version == 0 ? Variant.BECH32 : Variant.BECH32M);
    }
}
