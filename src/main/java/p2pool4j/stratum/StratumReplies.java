package p2pool4j.stratum;

import io.vertx.core.json.Json;

/**
 * The two replies every submit ends in, written without building a JSON tree: a rig at full speed
 * submits thousands of times a second and each tree was garbage. The bytes are the ones
 * {@code JsonObject.encode()} writes for the same reply (StratumRepliesTest compares them).
 */
final class StratumReplies {
    private StratumReplies() {}

    /** {@code {"id":ID,"result":true|false,"error":null}} and a newline. */
    static String result(Object id, boolean result) {
        StringBuilder b = new StringBuilder(48).append("{\"id\":");
        id(b, id);
        return b.append(result ? ",\"result\":true,\"error\":null}\n" : ",\"result\":false,\"error\":null}\n").toString();
    }

    /** {@code {"id":ID,"result":null,"error":[CODE,"MESSAGE",null],"reject-reason":"MESSAGE"}} and a newline. */
    static String error(Object id, int code, String message) {
        StringBuilder b = new StringBuilder(96 + 2 * message.length()).append("{\"id\":");
        id(b, id);
        b.append(",\"result\":null,\"error\":[").append(code).append(',');
        string(b, message);
        b.append(",null],\"reject-reason\":");
        string(b, message);
        return b.append("}\n").toString();
    }

    private static void id(StringBuilder b, Object id) {
        if (id == null) {
            b.append("null");
        } else if (id instanceof Integer || id instanceof Long) {
            b.append(id);
        } else if (id instanceof String s) {
            string(b, s);
        } else {
            b.append(Json.encode(id)); // big and fractional numbers: rare, and written exactly as before
        }
    }

    /** A JSON string as Jackson writes it: quote, backslash and control characters escaped, the rest as is. */
    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
