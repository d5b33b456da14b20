package p2pool4j.p2p;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import p2pool4j.bitcoin.FrameCodec;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.ShareCheck;
import p2pool4j.sharechain.ShareException;
import p2pool4j.sharechain.Tracker;

/**
 * What a stranger can send us over the P2Pool port: a frame header, a payload for any command,
 * and shares inside it. Each input ends in a typed result (a message, a FrameException, a
 * ParseException, a ShareException) and never takes 100 ms. Seeds: the vectors' frames and
 * shares ({@code PeerInputFuzzTestInputs/}). {@code JAZZER_FUZZ=1 mvn test -Dtest=PeerInputFuzzTest}
 * fuzzes for the given maxDuration.
 */
class PeerInputFuzzTest {
    private static final P2poolNetwork NET = P2poolNetwork.REGTEST;
    private static final FrameCodec CODEC = MessageCodec.frames(NET.prefix());
    private static final String[] COMMANDS = {"version", "ping", "addrme", "addrs", "getaddrs", "shares", "sharereq", "sharereply",
        "bestblock", "have_tx", "losing_tx", "remember_tx", "forget_tx", "nonsense"};

    private static final p2pool4j.testutil.FuzzClock CLOCK = new p2pool4j.testutil.FuzzClock();

    @FuzzTest(maxDuration = "60s")
    void framesMessagesAndShares(byte[] input) {
        CLOCK.start();
        if (input.length > 0) {
            String command = COMMANDS[(input[0] & 0xff) % COMMANDS.length];
            byte[] rest = Arrays.copyOfRange(input, 1, input.length);
            try {
                Message m = MessageCodec.decode(command, rest);
                if (m instanceof Message.Shares shares) {
                    for (Message.RawShare raw : shares.shares()) {
                        try {
                            Share s = Share.load(NET, raw.type(), raw.contents());
                            ShareCheck.check(s, new Tracker(NET), 1_700_000_000L);
                        } catch (ShareException expected) {
                            // a typed refusal
                        }
                    }
                }
            } catch (ParseException expected) {
                // a typed refusal
            }
            if (rest.length >= CODEC.headerSize()) {
                try {
                    FrameCodec.Header h = CODEC.decodeHeader(Arrays.copyOf(rest, CODEC.headerSize()));
                    byte[] payload = Arrays.copyOfRange(rest, CODEC.headerSize(), rest.length);
                    if (payload.length == h.length()) {
                        CODEC.checkPayload(h, payload);
                    }
                } catch (FrameCodec.FrameException expected) {
                    // a typed refusal, before any allocation sized by the claimed length
                }
            }
        }
        CLOCK.check();
    }
}
