package p2pool4j.bitcoin;

/** A transaction output: satoshis and the locking script. */
public record TxOut(long value, byte[] script) {}
