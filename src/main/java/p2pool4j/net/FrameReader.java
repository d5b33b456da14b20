package p2pool4j.net;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import p2pool4j.bitcoin.FrameCodec;

/**
 * Cuts a socket's byte stream into frames of {@link FrameCodec}: a fixed-size header first, then
 * a payload whose length was checked against the codec's limit before the parser is told to
 * collect it. Used by the bitcoind P2P link and by P2Pool peers (same frame, other prefix).
 */
public final class FrameReader implements Handler<Buffer> {
    /** A complete, checksummed frame. */
    public record Frame(String command, byte[] payload) {}

    private final FrameCodec codec;
    private final RecordParser parser;
    private final Handler<Frame> onFrame;
    private final Handler<FrameCodec.FrameException> onError;
    private FrameCodec.Header pending;
    private boolean failed;

    public FrameReader(FrameCodec codec, Handler<Frame> onFrame, Handler<FrameCodec.FrameException> onError) {
        this.codec = codec;
        this.onFrame = onFrame;
        this.onError = onError;
        this.parser = RecordParser.newFixed(codec.headerSize(), this::record);
        this.parser.maxRecordSize(Math.max(codec.headerSize(), codec.maxPayload()));
    }

    @Override
    public void handle(Buffer chunk) {
        if (!failed) {
            parser.handle(chunk);
        }
    }

    private void record(Buffer record) {
        if (failed) {
            return;
        }
        try {
            if (pending == null) {
                FrameCodec.Header h = codec.decodeHeader(record.getBytes());
                if (h.length() == 0) {
                    codec.checkPayload(h, new byte[0]);
                    onFrame.handle(new Frame(h.command(), new byte[0]));
                    return;
                }
                pending = h;
                parser.fixedSizeMode(h.length());
            } else {
                FrameCodec.Header h = pending;
                pending = null;
                parser.fixedSizeMode(codec.headerSize());
                byte[] payload = record.getBytes();
                codec.checkPayload(h, payload);
                onFrame.handle(new Frame(h.command(), payload));
            }
        } catch (FrameCodec.FrameException e) {
            // After a bad frame the stream position is unknown; the owner closes the connection.
            failed = true;
            onError.handle(e);
        }
    }
}
