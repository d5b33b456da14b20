package p2pool4j.sharechain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Hex;

/** Section 10.2 and 11: every share of the real regtest chain passes check(), and the edge cases get the reference's verdict. */
class ShareCheckTest {
    static final long NOW = 1_800_000_000L;

    static List<Share> chainShares() throws ShareException {
        List<Share> out = new ArrayList<>();
        for (JsonNode s : ShareCodecTest.CHAIN.get("shares")) {
            out.add(ShareCodecTest.load(s));
        }
        return out;
    }

    @Test
    void theWholeChainVerifiesInOrderIncludingTheSwitchTo35() throws Exception {
        MemoryChain chain = new MemoryChain(List.of());
        int firstV35 = -1;
        List<Share> shares = chainShares();
        for (int i = 0; i < shares.size(); i++) {
            Share s = shares.get(i);
            ShareCheck.check(s, chain, NOW);
            chain.add(s);
            if (s.version() == 35 && firstV35 < 0) {
                firstV35 = i;
            }
        }
        assertEquals(ShareCodecTest.CHAIN.get("switch_index").asInt(), firstV35);
    }

    @Test
    void producerSwitchesAtTheSameIndexAsTheReference() throws Exception {
        MemoryChain chain = new MemoryChain(List.of());
        List<Share> shares = chainShares();
        for (int i = 0; i < shares.size() - 1; i++) {
            chain.add(shares.get(i));
            ShareVersion next = VersionVote.versionToProduce(P2poolNetwork.REGTEST, chain, shares.get(i));
            assertEquals(shares.get(i + 1).version(), next.number(), "after share " + i);
        }
    }

    @Test
    void negativeAndEdgeCases() throws Exception {
        MemoryChain chain = new MemoryChain(chainShares());
        int checked = 0;
        for (JsonNode c : ShareCodecTest.CHAIN.get("negative_and_edge_cases")) {
            String result = c.get("expected").get("result").asText();
            if (!result.equals("valid") && !result.equals("check_error")) {
                continue;
            }
            Share s = Share.loadWrapped(P2poolNetwork.REGTEST, Hex.decode(c.get("wire_hex").asText()));
            String at = c.get("desc").asText();
            assertEquals(ShareCodecTest.CHAIN.get("shares").get(c.get("parent_index").asInt()).get("hash").asText(),
                    s.previousHash().toDisplayHex(), at);
            if (result.equals("valid")) {
                ShareCheck.check(s, chain, NOW);
            } else {
                ShareException e = assertThrows(ShareException.class, () -> ShareCheck.check(s, chain, NOW), at);
                String msg = c.get("expected").get("message").asText();
                Rejection want = switch (msg) {
                    case "switch without enough history" -> Rejection.SWITCH_WITHOUT_HISTORY;
                    case "switch without enough hash power upgraded" -> Rejection.SWITCH_WITHOUT_HASHPOWER;
                    case "share_info invalid" -> Rejection.SHARE_INFO_INVALID;
                    case "gentx doesn't match hash_link" -> Rejection.GENTX_MISMATCH;
                    default -> {
                        assertEquals("SegwitMiningShare can't follow PaddingBugfixShare", msg);
                        yield Rejection.VERSION_CANNOT_FOLLOW;
                    }
                };
                assertEquals(want, e.rejection(), at + ": " + e.getMessage());
                assertEquals(Rejection.Action.BAN, e.rejection().action());
            }
            checked++;
        }
        assertEquals(19, checked);
    }

    @Test
    void sharesFromTheFutureAreInvalid() throws Exception {
        Share first = chainShares().get(0);
        ShareException e = assertThrows(ShareException.class,
                () -> ShareCheck.check(first, new MemoryChain(List.of()), first.timestamp() - 601));
        assertEquals(Rejection.TIMESTAMP_IN_FUTURE, e.rejection());
        ShareCheck.check(first, new MemoryChain(List.of()), first.timestamp() - 600);
    }
}
