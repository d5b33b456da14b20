package p2pool4j.bitcoin;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The message frame shared by Bitcoin's and P2Pool's peer protocols: prefix (4-byte magic or
 * 8-byte P2Pool prefix), 12-byte NUL-padded command, u32 payload length, 4-byte checksum (first
 * bytes of sha256d(payload)), payload. Pure: the socket layers feed it bytes.
 */
public final class FrameCodec {
    public enum Problem { BAD_PREFIX, BAD_COMMAND, OVERSIZE, BAD_CHECKSUM }

    /** A frame that must not be accepted; {@link #problem()} lets the caller choose between ban and disconnect. */
    public static final class FrameException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        public FrameException(Problem problem, String message) {
            super(message, null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    public record Header(String command, int length, byte[] checksum) {}

    private final byte[] prefix;
    private final int maxPayload;
    private final java.util.function.ToIntFunction<String> maxPayloadFor;

    public FrameCodec(byte[] prefix, int maxPayload) {
        this(prefix, maxPayload, c -> maxPayload);
    }

    /** With a smaller cap per command, applied to the header's length before any payload is read. */
    public FrameCodec(byte[] prefix, int maxPayload, java.util.function.ToIntFunction<String> maxPayloadFor) {
        this.prefix = prefix.clone();
        this.maxPayload = maxPayload;
        this.maxPayloadFor = maxPayloadFor;
    }

    public int headerSize() {
        return prefix.length + 20;
    }

    public int maxPayload() {
        return maxPayload;
    }

    public byte[] encode(String command, byte[] payload) {
        byte[] cmd = command.getBytes(StandardCharsets.US_ASCII);
        if (cmd.length == 0 || cmd.length > 11) {
            throw new IllegalArgumentException("command must have 1 to 11 characters");
        }
        if (payload.length > maxPayload) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes above " + maxPayload);
        }
        ByteWriter w = new ByteWriter(headerSize() + payload.length);
        w.bytes(prefix).bytes(Arrays.copyOf(cmd, 12)).u32le(payload.length);
        w.bytes(Arrays.copyOf(Hashes.sha256d(payload), 4)).bytes(payload);
        return w.toByteArray();
    }

    /** Checks prefix, command and length before any payload is read or allocated. */
    public Header decodeHeader(byte[] header) {
        if (header.length != headerSize()) {
            throw new IllegalArgumentException("header has " + headerSize() + " bytes");
        }
        for (int i = 0; i < prefix.length; i++) {
            if (header[i] != prefix[i]) {
                throw new FrameException(Problem.BAD_PREFIX, "frame does not start with the network prefix");
            }
        }
        int p = prefix.length;
        int end = 0;
        while (end < 12 && header[p + end] != 0) {
            byte c = header[p + end];
            if (c < 0x20 || c > 0x7e) {
                throw new FrameException(Problem.BAD_COMMAND, "command is not printable ASCII");
            }
            end++;
        }
        for (int i = end; i < 12; i++) {
            if (header[p + i] != 0) {
                throw new FrameException(Problem.BAD_COMMAND, "command has bytes after its NUL padding");
            }
        }
        if (end == 0) {
            throw new FrameException(Problem.BAD_COMMAND, "empty command");
        }
        String command = new String(header, p, end, StandardCharsets.US_ASCII);
        ByteReader r = new ByteReader(header, p + 12, 8);
        long length = r.u32le();
        int cap = Math.min(maxPayload, maxPayloadFor.applyAsInt(command));
        if (length > cap) {
            throw new FrameException(Problem.OVERSIZE, "payload length " + length + " above " + cap + " for " + command);
        }
        return new Header(command, (int) length, r.bytes(4));
    }

    public void checkPayload(Header header, byte[] payload) {
        byte[] sum = Hashes.sha256d(payload);
        for (int i = 0; i < 4; i++) {
            if (sum[i] != header.checksum()[i]) {
                throw new FrameException(Problem.BAD_CHECKSUM, "bad checksum on " + header.command());
            }
        }
    }
}
