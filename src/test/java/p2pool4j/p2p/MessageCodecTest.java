package p2pool4j.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.FrameCodec;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.net.FrameReader;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Share;
import p2pool4j.testutil.Vectors;

/** Sections 2-3: every message of messages.json decodes and re-encodes byte for byte; hostile frames and payloads are typed errors. */
class MessageCodecTest {
    private static final JsonNode V = Vectors.load("messages.json");

    @Test
    void everyReferenceMessageRoundTrips() {
        FrameCodec codec = MessageCodec.frames(P2poolNetwork.MAIN.prefix());
        int n = 0;
        for (JsonNode m : V.get("messages")) {
            byte[] payload = Hex.decode(m.get("payload_hex").asText());
            Message msg = MessageCodec.decode(m.get("command").asText(), payload);
            assertEquals(m.get("command").asText(), msg.command());
            assertEquals(m.get("payload_hex").asText(), Hex.encode(MessageCodec.encode(msg)), m.get("command").asText());
            assertEquals(m.get("frame_hex").asText(), Hex.encode(codec.encode(msg.command(), MessageCodec.encode(msg))));
            n++;
        }
        assertEquals(15, n);
        Message.Version v = (Message.Version) MessageCodec.decode("version", Hex.decode(V.get("messages").get(0).get("payload_hex").asText()));
        assertEquals(3501, v.version());
        assertEquals("203.0.113.5", v.addrTo().host());
        assertEquals(9333, v.addrTo().port());
        Message.Addrs a = (Message.Addrs) MessageCodec.decode("addrs", Hex.decode(V.get("messages").get(4).get("payload_hex").asText()));
        assertEquals("2001:0db8:0000:0000:0000:0000:0000:0001", a.addrs().get(1).address().host());
    }

    @Test
    void realRegtestShareFramesCarryTheChainsShares() throws Exception {
        FrameCodec codec = MessageCodec.frames(P2poolNetwork.REGTEST.prefix());
        JsonNode chain = Vectors.load("chain_regtest.json").get("shares");
        for (JsonNode m : V.get("real_share_messages")) {
            List<FrameReader.Frame> frames = new ArrayList<>();
            new FrameReader(codec, frames::add, e -> { throw new AssertionError(e); })
                    .handle(io.vertx.core.buffer.Buffer.buffer(Hex.decode(m.get("frame_hex").asText())));
            assertEquals(1, frames.size());
            Message msg = MessageCodec.decode(frames.get(0).command(), frames.get(0).payload());
            List<Message.RawShare> shares = msg instanceof Message.Shares s ? s.shares() : ((Message.ShareReply) msg).shares();
            List<String> hashes = new ArrayList<>();
            for (Message.RawShare r : shares) {
                hashes.add(Share.load(P2poolNetwork.REGTEST, r.type(), r.contents()).hash().toDisplayHex());
            }
            List<String> want = msg instanceof Message.Shares
                    ? List.of(chain.get(0).get("hash").asText(), chain.get(1).get("hash").asText())
                    : List.of(chain.get(1).get("hash").asText(), chain.get(0).get("hash").asText());
            assertEquals(want, hashes);
            assertEquals(m.get("frame_hex").asText(), Hex.encode(codec.encode(msg.command(), MessageCodec.encode(msg))));
        }
    }

    @Test
    void unknownCommandsAreIgnoredAndBadPayloadsAreTyped() {
        assertNull(MessageCodec.decode("futurecmd", new byte[] {1, 2, 3}));
        assertThrows(ParseException.class, () -> MessageCodec.decode("sharereply", Hex.decode("00".repeat(32) + "07" + "00")));
        assertThrows(ParseException.class, () -> MessageCodec.decode("ping", new byte[] {0}));
        assertThrows(ParseException.class, () -> MessageCodec.decode("addrs", Hex.decode("fde803")));
        assertThrows(ParseException.class, () -> MessageCodec.decode("sharereq", Hex.decode("00".repeat(32) + "feffffffff")));
        FrameCodec codec = MessageCodec.frames(P2poolNetwork.MAIN.prefix());
        byte[] bigPing = codec.encode("ping", new byte[0]);
        bigPing[20] = 1; // a ping that claims one payload byte: above the ping cap
        assertEquals(FrameCodec.Problem.OVERSIZE,
                assertThrows(FrameCodec.FrameException.class, () -> codec.decodeHeader(Arrays.copyOf(bigPing, 28))).problem());
    }

    /** Fuzz: frames and payloads of every command, mutated; only typed errors, bounded allocation. */
    @Test
    void mutatedFramesAndPayloadsNeverEscape() {
        int total = Integer.getInteger("fuzz", 1_000_000);
        FrameCodec codec = MessageCodec.frames(P2poolNetwork.MAIN.prefix());
        List<byte[]> seeds = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        for (JsonNode m : V.get("messages")) {
            seeds.add(Hex.decode(m.get("frame_hex").asText()));
            commands.add(m.get("command").asText());
        }
        SplittableRandom rnd = new SplittableRandom(1);
        int[] frames = {0};
        int[] errors = {0};
        boolean[] failed = {false};
        FrameReader[] reader = new FrameReader[1];
        Runnable reset = () -> reader[0] = new FrameReader(codec, f -> {
            frames[0]++;
            try {
                MessageCodec.decode(f.command(), f.payload());
            } catch (ParseException e) {
                errors[0]++;
            }
        }, e -> {
            errors[0]++;
            failed[0] = true;
        });
        reset.run();
        long t0 = System.nanoTime();
        for (int i = 0; i < total; i++) {
            int k = rnd.nextInt(seeds.size());
            byte[] b = seeds.get(k).clone();
            if (i % 2 == 0) {
                // payload-level: mutate bytes after the header, feed the decoder directly
                byte[] payload = Arrays.copyOfRange(b, 28, b.length);
                if (payload.length > 0) {
                    payload[rnd.nextInt(payload.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                if (rnd.nextInt(4) == 0 && payload.length > 0) {
                    payload = Arrays.copyOf(payload, rnd.nextInt(payload.length));
                }
                try {
                    MessageCodec.decode(commands.get(k), payload);
                } catch (ParseException e) {
                    errors[0]++;
                }
            } else {
                b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                reader[0].handle(io.vertx.core.buffer.Buffer.buffer(b));
                if (failed[0]) {
                    failed[0] = false;
                    reset.run(); // the connection is dropped; the next input is a new one
                }
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println(total + " fuzz inputs in " + ms + " ms; frames " + frames[0] + ", typed errors " + errors[0]);
        assertTrue(errors[0] > total / 20);
    }
}
