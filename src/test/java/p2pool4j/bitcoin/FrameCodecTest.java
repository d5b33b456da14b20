package p2pool4j.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.FrameCodec.FrameException;
import p2pool4j.bitcoin.FrameCodec.Problem;
import p2pool4j.testutil.Vectors;

/** Section 2: the frame shared by both peer protocols, against messages.json. */
class FrameCodecTest {
    private static final FrameCodec P2POOL_MAIN = new FrameCodec(Hex.decode("2472ef181efcd37b"), 32_000_000);

    @Test
    void everyReferenceFrameEncodesAndDecodes() {
        for (JsonNode m : Vectors.load("messages.json").get("messages")) {
            byte[] payload = Hex.decode(m.get("payload_hex").asText());
            byte[] frame = P2POOL_MAIN.encode(m.get("command").asText(), payload);
            assertEquals(m.get("frame_hex").asText(), Hex.encode(frame));
            FrameCodec.Header h = P2POOL_MAIN.decodeHeader(Arrays.copyOf(frame, 28));
            assertEquals(m.get("command").asText(), h.command());
            assertEquals(payload.length, h.length());
            P2POOL_MAIN.checkPayload(h, payload);
        }
    }

    @Test
    void emptyPayloadChecksum() {
        assertEquals("5df6e0e2", Hex.encode(Arrays.copyOfRange(P2POOL_MAIN.encode("ping", new byte[0]), 24, 28)));
    }

    @Test
    void badFramesAreTypedBeforeAnyPayloadIsRead() {
        byte[] frame = P2POOL_MAIN.encode("ping", new byte[0]);
        byte[] badPrefix = frame.clone();
        badPrefix[0] ^= 1;
        assertEquals(Problem.BAD_PREFIX, assertThrows(FrameException.class, () -> P2POOL_MAIN.decodeHeader(Arrays.copyOf(badPrefix, 28))).problem());
        byte[] oversize = frame.clone();
        oversize[20] = (byte) 0xff;
        oversize[21] = (byte) 0xff;
        oversize[22] = (byte) 0xff;
        oversize[23] = (byte) 0x7f;
        assertEquals(Problem.OVERSIZE, assertThrows(FrameException.class, () -> P2POOL_MAIN.decodeHeader(Arrays.copyOf(oversize, 28))).problem());
        byte[] badCommand = frame.clone();
        badCommand[8] = 0x01;
        assertEquals(Problem.BAD_COMMAND, assertThrows(FrameException.class, () -> P2POOL_MAIN.decodeHeader(Arrays.copyOf(badCommand, 28))).problem());
        byte[] junkAfterNul = frame.clone();
        junkAfterNul[19] = 'x';
        assertEquals(Problem.BAD_COMMAND, assertThrows(FrameException.class, () -> P2POOL_MAIN.decodeHeader(Arrays.copyOf(junkAfterNul, 28))).problem());
        FrameCodec.Header h = P2POOL_MAIN.decodeHeader(Arrays.copyOf(frame, 28));
        assertEquals(Problem.BAD_CHECKSUM, assertThrows(FrameException.class, () -> P2POOL_MAIN.checkPayload(h, new byte[] {1})).problem());
    }

    @Test
    void bitcoinMagicIsFourBytes() {
        FrameCodec btc = new FrameCodec(ChainParams.REGTEST.p2pMagic(), 32_000_000);
        byte[] f = btc.encode("verack", new byte[0]);
        assertEquals(24, f.length);
        assertArrayEquals(Hex.decode("fabfb5da"), Arrays.copyOf(f, 4));
        assertEquals("verack", btc.decodeHeader(Arrays.copyOf(f, 24)).command());
    }
}
