package p2pool4j.work;

/** The node cannot give useful work yet (no bitcoind, still downloading the sharechain...). The message says why, for miners. */
public final class NotReadyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotReadyException(String message) {
        super(message, null, false, false);
    }
}
