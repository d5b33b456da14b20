package p2pool4j.sharechain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Hex;

/**
 * Bad input from peers: mutated vector shares (bit flips, truncations, extensions, splices,
 * hostile varints) are refused with a typed reason, never an escaping exception or a hang. The
 * count is bounded here; raise it with -Dmutations=N.
 */
class ShareMutationTest {
    @Test
    void mutatedSharesOnlyEverFailWithATypedReason() throws Exception {
        int total = Integer.getInteger("mutations", 100_000);
        List<byte[]> seeds = new ArrayList<>();
        ShareCodecTest.CHAIN.get("shares").forEach(s -> seeds.add(Hex.decode(s.get("wire_hex").asText())));
        SplittableRandom rnd = new SplittableRandom(42);
        Map<Rejection, Integer> reasons = new EnumMap<>(Rejection.class);
        int accepted = 0;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            byte[] m = mutate(seeds.get(rnd.nextInt(seeds.size())), seeds.get(rnd.nextInt(seeds.size())), rnd);
            try {
                Share s = Share.loadWrapped(P2poolNetwork.REGTEST, m);
                ShareCodec.write(s.contents(), s.shareVersion(), P2poolNetwork.REGTEST); // must re-encode too
                accepted++;
            } catch (ShareException e) {
                reasons.merge(e.rejection(), 1, Integer::sum);
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println(total + " mutations in " + ms + " ms; accepted " + accepted + "; reasons " + reasons);
        assertTrue(reasons.getOrDefault(Rejection.MALFORMED, 0) > total / 10, "most mutations are malformed: " + reasons);
        assertTrue(reasons.containsKey(Rejection.POW_INVALID), "flips in the header fail PoW: " + reasons);
    }

    static byte[] mutate(byte[] seed, byte[] other, SplittableRandom rnd) {
        byte[] b = seed.clone();
        switch (rnd.nextInt(7)) {
            case 0 -> { // flip 1-4 bits anywhere
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    int p = rnd.nextInt(b.length);
                    b[p] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // truncate
            case 2 -> { // extend with junk
                int n = 1 + rnd.nextInt(64);
                byte[] e = Arrays.copyOf(b, b.length + n);
                for (int i = b.length; i < e.length; i++) {
                    e[i] = (byte) rnd.nextInt(256);
                }
                b = e;
            }
            case 3 -> { // splice two shares
                int cut = rnd.nextInt(Math.min(b.length, other.length));
                b = Arrays.copyOf(b, cut + other.length - cut);
                System.arraycopy(other, cut, b, cut, other.length - cut);
            }
            case 4 -> { // a hostile varint somewhere inside the contents
                int p = 3 + rnd.nextInt(b.length - 12);
                b[p] = (byte) 0xff;
                for (int i = 1; i <= 8 && p + i < b.length; i++) {
                    b[p + i] = (byte) 0xff;
                }
            }
            case 5 -> { // overwrite a random run with one repeated byte
                int p = rnd.nextInt(b.length);
                int n = Math.min(b.length - p, 1 + rnd.nextInt(40));
                Arrays.fill(b, p, p + n, (byte) rnd.nextInt(256));
            }
            default -> { // change the outer length or type
                b[rnd.nextBoolean() ? 0 : 1] = (byte) rnd.nextInt(256);
            }
        }
        return b;
    }
}
