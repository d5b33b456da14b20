package p2pool4j.sharechain;

import java.math.BigInteger;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * What the chain algorithms (PPLNS, target regulation, version voting, scoring) need of a share.
 * {@link Share} implements it; tests feed synthetic chains through it.
 */
public interface ChainShare {
    Sha256Hash hash();

    /** The parent share's hash; null for a chain's first share. */
    Sha256Hash previousHash();

    BigInteger target();

    BigInteger maxTarget();

    /** share_info.timestamp. */
    long timestamp();

    /** The PPLNS key: the address text (v34+) or the base58 P2PKH text of the pubkey hash. */
    String payoutKey();

    int donation();

    long desiredVersion();

    /** The share type (17, 32, 33, 34, 35). */
    int version();

    long absheight();

    BigInteger abswork();

    /** att(target): this share's work. Implementations may cache it. */
    default BigInteger work() {
        return p2pool4j.bitcoin.Targets.attempts(target());
    }

    /** att(max_target): the "min work" summed by target regulation. */
    default BigInteger minWork() {
        return p2pool4j.bitcoin.Targets.attempts(maxTarget());
    }
}
