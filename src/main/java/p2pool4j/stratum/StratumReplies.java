package p2pool4j.stratum;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;
import p2pool4j.work.SubmitResult;

/**
 * The replies every submit ends in, written straight into the buffer that goes to the socket
 * without building a JSON tree or an intermediate string: a rig at full speed submits thousands of
 * times a second and each was garbage. The bytes are the ones {@code JsonObject.encode()} writes
 * for the same reply (StratumRepliesTest compares them).
 */
final class StratumReplies {
    private static final byte[] ID = bytes("{\"id\":");
    private static final byte[] NULL = bytes("null");
    private static final byte[] TRUE = bytes(",\"result\":true,\"error\":null}\n");
    private static final byte[] FALSE = bytes(",\"result\":false,\"error\":null}\n");
    /** What follows the id in the reply to each refused submit: the same few bytes every time (null for ACCEPTED, which has no error). */
    private static final byte[][] REJECTS = new byte[SubmitResult.values().length][];

    static {
        for (SubmitResult r : SubmitResult.values()) {
            REJECTS[r.ordinal()] = r.accepted() ? null : errorTail(r.stratumCode(), r.message());
        }
    }

    private StratumReplies() {}

    /** {@code {"id":ID,"result":true|false,"error":null}} and a newline. */
    static Buffer result(Object id, boolean result) {
        return id(Buffer.buffer(48).appendBytes(ID), id).appendBytes(result ? TRUE : FALSE);
    }

    /** {@code {"id":ID,"result":null,"error":[CODE,"MESSAGE",null],"reject-reason":"MESSAGE"}} and a newline. */
    static Buffer error(Object id, int code, String message) {
        return id(Buffer.buffer(96).appendBytes(ID), id).appendBytes(errorTail(code, message));
    }

    /** {@link #error} for a refused submit (never ACCEPTED), with the result's code and message. */
    static Buffer reject(Object id, SubmitResult r) {
        byte[] tail = REJECTS[r.ordinal()];
        return id(Buffer.buffer(16 + tail.length).appendBytes(ID), id).appendBytes(tail);
    }

    private static byte[] errorTail(int code, String message) {
        StringBuilder b = new StringBuilder(64 + 2 * message.length()).append(",\"result\":null,\"error\":[").append(code).append(',');
        string(b, message);
        b.append(",null],\"reject-reason\":");
        string(b, message);
        return bytes(b.append("}\n").toString());
    }

    private static Buffer id(Buffer b, Object id) {
        if (id == null) {
            return b.appendBytes(NULL);
        }
        if (id instanceof Integer || id instanceof Long) {
            return b.appendString(id.toString(), "US-ASCII");
        }
        if (id instanceof String s) {
            StringBuilder q = new StringBuilder(s.length() + 2);
            string(q, s);
            return b.appendString(q.toString());
        }
        return b.appendString(Json.encode(id)); // big and fractional numbers: rare, and written exactly as before
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
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
