package p2pool4j.bitcoin;

/**
 * Input bytes (from a peer, a miner, bitcoind or a file) that do not decode. Unchecked so that
 * codecs stay readable; every network boundary catches it, counts it and drops the input.
 */
public final class ParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ParseException(String message) {
        super(message, null, false, false); // no stack trace: bad input is common and cheap to report
    }
}
