package p2pool4j.stratum;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Cuts a Stratum connection's bytes into newline-terminated lines, each decoded once into a
 * string straight from the chunk it arrived in. Vert.x's RecordParser copied every chunk into its
 * own buffer and every line into another before the session made its string: a sixth of what the
 * worker port allocated per submit (JFR, 5,000 submits/s). Only a line split across reads is
 * copied, into a buffer that grows up to the line limit. Lives on its session's event loop.
 */
final class LineReader {
    /** Where lines go. */
    interface Sink {
        /** {@code bytes}: the line's length on the wire without its newline. */
        void line(String text, int bytes);
    }

    private final int maxLine;
    private final Sink sink;
    /** The start of a line that began in an earlier chunk; null while none is waiting. */
    private byte[] partial;
    private int partialLength;

    /** @param maxLine the longest line accepted, in bytes without its newline */
    LineReader(int maxLine, Sink sink) {
        this.maxLine = maxLine;
        this.sink = sink;
    }

    /**
     * Hands every complete line of {@code chunk} to the sink and keeps the unfinished rest.
     *
     * @return false once a line is longer than the limit: the connection should close, and
     *     nothing more is read (lines before it in the chunk were delivered)
     */
    boolean feed(Buffer chunk) {
        if (partialLength < 0) {
            return false;
        }
        int n = chunk.length();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (chunk.getByte(i) != '\n') {
                continue;
            }
            if (partialLength > 0) {
                if (!append(chunk, start, i)) {
                    return false;
                }
                int length = partialLength;
                partialLength = 0;
                sink.line(new String(partial, 0, length, StandardCharsets.UTF_8), length);
                if (partial.length > 1024) {
                    partial = null; // a long line was a one-off: its buffer is not kept for the session's life
                }
            } else {
                if (i - start > maxLine) {
                    return overflow();
                }
                sink.line(chunk.getString(start, i, "UTF-8"), i - start);
            }
            start = i + 1;
        }
        return start >= n || append(chunk, start, n);
    }

    /** Bytes of an unfinished line being held. */
    int pending() {
        return Math.max(partialLength, 0);
    }

    private boolean append(Buffer chunk, int from, int to) {
        int add = to - from;
        if (partialLength + add > maxLine) {
            return overflow();
        }
        if (partial == null || partial.length < partialLength + add) {
            byte[] grown = new byte[Math.min(maxLine, Math.max(256, 2 * (partialLength + add)))];
            if (partial != null) {
                System.arraycopy(partial, 0, grown, 0, partialLength);
            }
            partial = grown;
        }
        chunk.getBytes(from, to, partial, partialLength);
        partialLength += add;
        return true;
    }

    private boolean overflow() {
        partialLength = -1;
        partial = null;
        return false;
    }
}
