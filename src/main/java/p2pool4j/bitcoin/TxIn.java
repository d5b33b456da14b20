package p2pool4j.bitcoin;

/** A transaction input. A coinbase input spends the null outpoint (zero hash, index 0xffffffff). */
public record TxIn(Sha256Hash prevHash, long prevIndex, byte[] script, long sequence) {
    public static final long NULL_INDEX = 0xffffffffL;
    public static final long FINAL_SEQUENCE = 0xffffffffL;

    public static TxIn coinbase(byte[] script) {
        return new TxIn(Sha256Hash.ZERO, NULL_INDEX, script, FINAL_SEQUENCE);
    }

    public boolean isCoinbase() {
        return prevIndex == NULL_INDEX && prevHash.isZero();
    }
}
