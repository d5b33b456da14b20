package p2pool4j.sharechain;

/** A v&lt;34 transaction reference: (generations back, index in that share's new_transaction_hashes). */
public record TxRef(long shareCount, long txCount) {}
