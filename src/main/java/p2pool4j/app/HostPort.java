package p2pool4j.app;

/** A host and port as the operator wrote them ("node.example:9333", "[::1]:9333", "10.0.0.5"). */
public record HostPort(String host, int port) {
    /** @throws IllegalArgumentException with a message fit for the operator */
    public static HostPort parse(String text, int defaultPort) {
        String s = text.strip();
        if (s.isEmpty() || s.length() > 255) {
            throw new IllegalArgumentException("empty or overlong address");
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + s + "': missing ']'");
            }
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("'" + s + "': expected ':' after ']'");
                }
                port = s.substring(close + 2);
            }
        } else if (s.indexOf(':') != s.lastIndexOf(':')) {
            host = s; // bare IPv6 without port
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty() || !onlyHostCharacters(host, "")) {
            throw new IllegalArgumentException("'" + s + "': not a host name or IP address");
        }
        return new HostPort(host, port == null ? defaultPort : ConfigBuilder.parsePort(port));
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Whether every character of {@code s} may appear in a host name or an IP address (letters, digits, {@code .-:_%}) or in {@code more}. */
    static boolean onlyHostCharacters(String s, String more) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == ':' || c == '_'
                    || c == '%' || more.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
