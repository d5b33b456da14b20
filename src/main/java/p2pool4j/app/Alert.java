package p2pool4j.app;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.util.Locale;

/**
 * One event a home miner wants pushed (block found, a worker offline or back, bitcoind
 * unreachable or stuck, no P2Pool peers, node started), and how it is written for each kind of
 * receiver. The JSON shape is documented in docs/alerts.md.
 */
record Alert(String event, long timeMillis, String title, String message, JsonObject details) {

    /** Where alerts go: {@code [json|ntfy|gotify|discord|slack:]URL} (json when no prefix). */
    record Target(String format, URI url) {
        static final java.util.Set<String> FORMATS = java.util.Set.of("json", "ntfy", "gotify", "discord", "slack");

        /** @throws IllegalArgumentException naming what is wrong, never echoing the URL (it may hold a token) */
        static Target parse(String spec) {
            String format = "json";
            String rest = spec.strip();
            int colon = rest.indexOf(':');
            if (colon > 0 && FORMATS.contains(rest.substring(0, colon).toLowerCase(Locale.ROOT))) {
                format = rest.substring(0, colon).toLowerCase(Locale.ROOT);
                rest = rest.substring(colon + 1);
            }
            URI u;
            try {
                u = new URI(rest);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("not a URL (expected [json|ntfy|gotify|discord|slack:]http(s)://...)");
            }
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL (expected [json|ntfy|gotify|discord|slack:]http(s)://...)");
            }
            return new Target(format, u);
        }

        /** For logs and metrics: scheme, host and port only (paths and queries carry tokens). */
        String safeName() {
            return format + ":" + url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        }
    }

    /** The request body for {@code format}, and its content type. */
    String[] body(String format) {
        String text = title + "\n" + message;
        return switch (format) {
            case "ntfy" -> new String[] {message, "text/plain; charset=utf-8"};
            case "gotify" -> new String[] {new JsonObject().put("title", title).put("message", message)
                    .put("priority", event.equals("block_found") ? 8 : 5).encode(), "application/json"};
            case "discord" -> new String[] {new JsonObject().put("content", "**" + title + "**\n" + message).encode(), "application/json"};
            case "slack" -> new String[] {new JsonObject().put("text", "*" + title + "*\n" + message).encode(), "application/json"};
            default -> new String[] {new JsonObject().put("event", event).put("time", Instant.ofEpochMilli(timeMillis).toString())
                    .put("title", title).put("message", message).put("details", details).encode(), "application/json"};
        };
    }
}
