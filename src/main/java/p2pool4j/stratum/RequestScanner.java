package p2pool4j.stratum;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the one shape nearly every Stratum line has, {@code {"id":7,"method":"mining.submit",
 * "params":["w","1a","00000001","5f5e1000","deadbeef"]}}, without building a JSON tree: a rig at
 * full speed sends thousands a second, and Jackson's parser, context and map were a fifth of what
 * the worker port allocated per submit (JFR, 1,000 sessions at 5,000 submits/s).
 *
 * <p>It accepts a strict subset of JSON: one object whose values are strings without escapes,
 * integers of at most 18 digits, null, or (for {@code params} only) a flat array of those strings
 * and nulls. Anything else (escapes, fractions, nested values, duplicate keys, {@code result} or
 * {@code error} members, no method) returns null and the caller parses the line with Jackson, so
 * every refusal keeps coming from one place. Where it answers, the request equals Jackson's for the
 * same line, value types included ({@code RequestScannerTest} compares the two).
 */
final class RequestScanner {
    private static final int MAX_INT_DIGITS = 18;

    private final String s;
    private int pos;

    private RequestScanner(String s) {
        this.s = s;
    }

    /** The request in {@code text} (stripped, not empty), or null when the line is not of the simple shape. */
    static StratumRequest scan(String text) {
        return new RequestScanner(text).request();
    }

    private StratumRequest request() {
        if (!skipTo('{')) {
            return null;
        }
        Object id = null;
        String method = null;
        List<Object> params = null;
        boolean sawId = false;
        space();
        if (peek() == '}') {
            return null; // no method: Jackson's path refuses it
        }
        while (true) {
            space();
            String key = key();
            if (key == null || !skipTo(':')) {
                return null;
            }
            space();
            switch (key) {
                case "id" -> {
                    if (sawId) {
                        return null;
                    }
                    sawId = true;
                    id = scalar();
                    if (id == NOT_SIMPLE) {
                        return null;
                    }
                }
                case "method" -> {
                    if (method != null) {
                        return null;
                    }
                    method = string();
                    if (method == null) {
                        return null;
                    }
                }
                case "params" -> {
                    if (params != null) {
                        return null;
                    }
                    params = array();
                    if (params == null) {
                        return null;
                    }
                }
                case "result", "error" -> {
                    return null; // maybe a reply to us: Jackson's path tells
                }
                default -> {
                    if (scalar() == NOT_SIMPLE) {
                        return null; // other members ("jsonrpc":"2.0") are read and dropped, as the tree's are
                    }
                }
            }
            space();
            char c = peek();
            pos++;
            if (c == '}') {
                break;
            }
            if (c != ',') {
                return null;
            }
        }
        space();
        if (pos != s.length() || method == null) {
            return null;
        }
        return new StratumRequest(id, method, params == null ? new JsonArray() : new JsonArray(params));
    }

    /** Marks a value outside the subset (null is a value). */
    private static final Object NOT_SIMPLE = new Object();

    /** A string, an integer or null. */
    private Object scalar() {
        char c = peek();
        if (c == '"') {
            String v = string();
            return v == null ? NOT_SIMPLE : v;
        }
        if (c == 'n') {
            if (!s.startsWith("null", pos)) {
                return NOT_SIMPLE;
            }
            pos += 4;
            return null;
        }
        return integer();
    }

    /** {@code -?(0|[1-9][0-9]*)} of at most 18 digits, as Jackson's untyped reader types it: Integer when it fits, else Long. */
    private Object integer() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int digitsAt = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        int digits = pos - digitsAt;
        if (digits == 0 || digits > MAX_INT_DIGITS || (digits > 1 && s.charAt(digitsAt) == '0')) {
            return NOT_SIMPLE;
        }
        char next = peek();
        if (next == '.' || next == 'e' || next == 'E') {
            return NOT_SIMPLE;
        }
        long v = Long.parseLong(s, start, pos, 10);
        return v == (int) v ? (Object) (int) v : (Object) v;
    }

    /** A flat array of plain strings and nulls, or null when it is anything else. */
    private List<Object> array() {
        if (peek() != '[') {
            return null;
        }
        pos++;
        List<Object> out = new ArrayList<>(6);
        space();
        if (peek() == ']') {
            pos++;
            return out;
        }
        while (true) {
            space();
            char c = peek();
            if (c == '"') {
                String v = string();
                if (v == null) {
                    return null;
                }
                out.add(v);
            } else if (c == 'n' && s.startsWith("null", pos)) {
                pos += 4;
                out.add(null);
            } else {
                return null;
            }
            space();
            c = peek();
            pos++;
            if (c == ']') {
                return out;
            }
            if (c != ',') {
                return null;
            }
        }
    }

    private static final String[] KEYS = {"id", "method", "params", "result", "error"};

    /** A member name: one of {@link #KEYS} without making a string, any other plain string as "", null when not plain. */
    private String key() {
        int start = pos + 1;
        if (!quoted()) {
            return null;
        }
        int length = pos - 1 - start;
        for (String k : KEYS) {
            if (k.length() == length && s.startsWith(k, start)) {
                return k;
            }
        }
        return "";
    }

    /** Moves past a quoted string with no escape and no control character; false when there is none. */
    private boolean quoted() {
        if (peek() != '"') {
            return false;
        }
        pos++;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return true;
            }
            if (c == '\\' || c < 0x20) {
                return false;
            }
            pos++;
        }
        return false;
    }

    /** A quoted string with no escape and no control character, or null. */
    private String string() {
        int start = pos + 1;
        return quoted() ? s.substring(start, pos - 1) : null;
    }

    private boolean skipTo(char expected) {
        space();
        if (peek() != expected) {
            return false;
        }
        pos++;
        return true;
    }

    /** JSON's four whitespace characters (not Java's wider set: Jackson refuses the others). */
    private void space() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The character at the cursor, or 0 past the end (0 is never valid there). */
    private char peek() {
        return pos < s.length() ? s.charAt(pos) : 0;
    }
}
