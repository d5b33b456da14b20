package p2pool4j.bitcoind;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** HTTP Basic credentials for bitcoind: user/password, or the contents of its .cookie file. */
public record RpcCredentials(String user, String password) {
    /** Parses a cookie file's contents ("__cookie__:hex"). */
    public static RpcCredentials fromCookie(String contents) {
        String line = contents.strip();
        int colon = line.indexOf(':');
        if (colon <= 0 || line.length() > 1024) {
            throw new IllegalArgumentException("the cookie file does not hold user:password");
        }
        return new RpcCredentials(line.substring(0, colon), line.substring(colon + 1));
    }

    public String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RpcCredentials[user=" + user + ", password=***]";
    }
}
