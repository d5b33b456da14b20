package p2pool4j.getwork;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.x request head read line by line (CRLF already cut), bounded: {@value #MAX_BYTES}
 * bytes and {@value #MAX_HEADERS} headers. Pure, so the getwork fuzz test drives exactly what a
 * connection does. A head the worker port will not serve ends in a {@link Refusal} with the
 * status to answer; a complete one in a {@link Request}.
 */
final class HttpHead {
    static final int MAX_BYTES = 8 * 1024;
    static final int MAX_HEADERS = 64;
    static final int MAX_BODY = 64 * 1024;

    /** A request we serve: GET or POST, HTTP/1.0 or 1.1, at most one Content-Length. */
    record Request(String method, String path, String version, Map<String, String> headers, int contentLength) {
        boolean keepAlive() {
            String c = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
            return version.equals("HTTP/1.1") ? !c.contains("close") : c.contains("keep-alive");
        }

        String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }
    }

    /** Why a head is refused: the HTTP status and a short reason; {@code status} 0 means close without an answer. */
    static final class Refusal extends Exception {
        private final int status;

        Refusal(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private String requestLine;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int bytes;
    private boolean conflictingLength;

    /** Feeds one line; returns the request when this line ended the head, else null. */
    Request line(String line) throws Refusal {
        bytes += line.length() + 2;
        if (bytes > MAX_BYTES || headers.size() > MAX_HEADERS) {
            throw new Refusal(0, "request head too large");
        }
        if (requestLine == null) {
            if (!line.isEmpty()) {
                requestLine = line; // stray CRLFs between requests are tolerated
            }
            return null;
        }
        if (!line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                String before = headers.put(name, value);
                if (before != null && name.equals("content-length") && !before.equals(value)) {
                    conflictingLength = true;
                }
            }
            return null;
        }
        return finish();
    }

    /** Bytes read into the current head: a partial head is what the slowloris timer watches. */
    boolean started() {
        return requestLine != null;
    }

    private Request finish() throws Refusal {
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            throw new Refusal(400, "malformed request line");
        }
        if (!parts[0].equals("GET") && !parts[0].equals("POST")) {
            throw new Refusal(405, "only GET and POST");
        }
        if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
            throw new Refusal(505, "only HTTP/1.0 and HTTP/1.1");
        }
        if (conflictingLength) {
            throw new Refusal(400, "conflicting Content-Length headers");
        }
        if (headers.containsKey("transfer-encoding")) {
            throw new Refusal(400, "Transfer-Encoding is not supported; send Content-Length");
        }
        String cl = headers.getOrDefault("content-length", "0");
        if (cl.isEmpty() || cl.length() > 9 || !cl.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Refusal(400, "Content-Length is not a number");
        }
        int length = Integer.parseInt(cl);
        if (length > MAX_BODY) {
            throw new Refusal(413, "request body too large");
        }
        Request r = new Request(parts[0], parts[1], parts[2], Map.copyOf(headers), length);
        requestLine = null;
        headers.clear();
        bytes = 0;
        conflictingLength = false;
        return r;
    }
}
