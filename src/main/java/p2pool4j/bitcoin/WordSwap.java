package p2pool4j.bitcoin;

/**
 * The byte order miners use (miner spec 1.1): every 4-byte word reversed in place. Getwork's
 * {@code data} and Stratum's {@code prevhash} are in this order.
 */
public final class WordSwap {
    private WordSwap() {}

    public static byte[] swap4(byte[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i + 3 < b.length; i += 4) {
            for (int j = 0; j < 4; j++) {
                out[i + j] = b[i + 3 - j];
            }
        }
        return out;
    }
}
