package p2pool4j.util;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** A certificate's SHA-256 fingerprint as browsers and openssl print it (AA:BB:...), for pinning. */
public final class Fingerprint {
    private Fingerprint() {}

    public static String sha256(byte[] der) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)).toUpperCase(Locale.ROOT);
            StringBuilder sb = new StringBuilder(hex.length() * 3 / 2);
            for (int i = 0; i < hex.length(); i += 2) {
                sb.append(i == 0 ? "" : ":").append(hex, i, i + 2);
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
