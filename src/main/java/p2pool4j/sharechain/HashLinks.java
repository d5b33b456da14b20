package p2pool4j.sharechain;

import java.util.Arrays;
import p2pool4j.bitcoin.ByteWriter;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoin.Sha256;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * hash_link (protocol spec 7.6): a producer hands out the SHA-256 midstate of the gentx up to the
 * ref hash; a verifier resumes it with the last bytes of the constant C and the suffix
 * ref_hash | last_txout_nonce | lock_time to get the gentx txid without the gentx.
 */
public final class HashLinks {
    /**
     * One resumable SHA-256 per thread: {@link #gentxHash} runs for every miner submit, and a
     * fresh instance each time was 7 % of what the worker port allocated (JFR, 5,000 submits/s).
     */
    private static final ThreadLocal<Sha256> SCRATCH = ThreadLocal.withInitial(Sha256::new);

    private HashLinks() {}

    /** From the stripped gentx prefix (everything before ref_hash), which must end with C. */
    public static HashLink fromPrefix(byte[] prefix) {
        int c = Gentx.BEFORE_REFHASH.length;
        if (prefix.length < c || !Arrays.equals(prefix, prefix.length - c, prefix.length, Gentx.BEFORE_REFHASH, 0, c)) {
            throw new IllegalArgumentException("gentx prefix does not end with the constant before ref_hash");
        }
        Sha256 s = new Sha256().update(prefix);
        return new HashLink(s.stateBigEndian(), s.byteCount());
    }

    /** The gentx txid the link commits to. */
    public static Sha256Hash gentxHash(HashLink link, Sha256Hash refHash, long lastTxoutNonce) {
        int n = (int) (link.length() % 64);
        if (link.length() < n || n > Gentx.BEFORE_REFHASH.length) {
            throw new ParseException("hash_link length inconsistent");
        }
        Sha256 s = SCRATCH.get().reset(link.state(), link.length(), Gentx.BEFORE_REFHASH, Gentx.BEFORE_REFHASH.length - n, n);
        s.update(new ByteWriter(44).hash(refHash).u64le(lastTxoutNonce).u32le(0).toByteArray()); // one 44-byte array
        return Sha256Hash.wrap(Hashes.sha256(s.digest()));
    }
}
