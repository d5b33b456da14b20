package p2pool4j.sharechain;

import p2pool4j.bitcoin.Sha256Hash;

/** A share's min_header: the block header without its merkle root. {@code previousBlock} is ZERO when absent. */
public record SmallHeader(long version, Sha256Hash previousBlock, long timestamp, long bits, long nonce) {}
