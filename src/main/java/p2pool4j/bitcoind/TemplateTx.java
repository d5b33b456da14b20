package p2pool4j.bitcoind;

import p2pool4j.bitcoin.Sha256Hash;

/** One transaction of a block template, with its ids recomputed from its bytes (never trusted from JSON). */
public record TemplateTx(byte[] data, Sha256Hash txid, Sha256Hash wtxid, long fee, long weight) {}
