package p2pool4j.bitcoind;

/**
 * What the node knows of its bitcoind, as an immutable snapshot for the UI and logs.
 *
 * @param lastTemplateMillis wall time of the last good template, 0 if none yet
 */
public record BitcoindState(
        boolean rpcConnected,
        boolean p2pConnected,
        String chain,
        String subversion,
        long height,
        String bestBlockHash,
        String lastError,
        long lastTemplateMillis) {

    public static final BitcoindState INITIAL = new BitcoindState(false, false, null, null, -1, null, null, 0);

    public BitcoindState withRpc(boolean connected, String error) {
        return new BitcoindState(connected, p2pConnected, chain, subversion, height, bestBlockHash, error, lastTemplateMillis);
    }

    public BitcoindState withP2p(boolean connected) {
        return new BitcoindState(rpcConnected, connected, chain, subversion, height, bestBlockHash, lastError, lastTemplateMillis);
    }

    public BitcoindState withNode(String chain, String subversion) {
        return new BitcoindState(rpcConnected, p2pConnected, chain, subversion, height, bestBlockHash, lastError, lastTemplateMillis);
    }

    public BitcoindState withTemplate(Template t, long nowMillis) {
        return new BitcoindState(true, p2pConnected, chain, subversion, t.height() - 1, t.previousBlockHash().toDisplayHex(), null, nowMillis);
    }
}
