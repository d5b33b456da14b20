package p2pool4j.sharechain;

import p2pool4j.bitcoin.Sha256Hash;

/**
 * share_data (fields 6-13). Exactly one of {@code address} (v34+) and {@code pubkeyHash}
 * (v17/v32/v33) is set. {@code previousShareHash} is null for a chain's first share.
 * {@code staleInfo}: 0 none, 253 orphan, 254 doa, anything else kept as it came.
 */
public record ShareData(Sha256Hash previousShareHash, byte[] coinbase, long nonce, String address, byte[] pubkeyHash,
        long subsidy, int donation, int staleInfo, long desiredVersion) {
    public static final int STALE_NONE = 0;
    public static final int STALE_ORPHAN = 253;
    public static final int STALE_DOA = 254;

    public ShareData withPreviousShareHash(Sha256Hash h) {
        return new ShareData(h, coinbase, nonce, address, pubkeyHash, subsidy, donation, staleInfo, desiredVersion);
    }

    public ShareData withSubsidy(long s) {
        return new ShareData(previousShareHash, coinbase, nonce, address, pubkeyHash, s, donation, staleInfo, desiredVersion);
    }

    public ShareData withDesiredVersion(long v) {
        return new ShareData(previousShareHash, coinbase, nonce, address, pubkeyHash, subsidy, donation, staleInfo, v);
    }
}
