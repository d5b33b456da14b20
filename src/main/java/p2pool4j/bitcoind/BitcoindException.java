package p2pool4j.bitcoind;

/**
 * Anything that went wrong talking to bitcoind, typed so callers can tell a wrong password from
 * a daemon that is down, a JSON-RPC error from a malformed answer.
 */
public final class BitcoindException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** HTTP 401/403: user/password or cookie rejected. */
        AUTH,
        /** Not reachable, connection reset, timeout. */
        TRANSPORT,
        /** An HTTP status other than 200 without a JSON-RPC error body. */
        HTTP,
        /** bitcoind answered with a JSON-RPC error object. */
        RPC,
        /** The answer was not the JSON we expected, or too large. */
        BAD_RESPONSE,
        /** The daemon answers but is on another chain, too old, or its template uses rules we do not know. */
        INCOMPATIBLE
    }

    private final Kind kind;
    private final int rpcCode;

    public BitcoindException(Kind kind, String message) {
        this(kind, 0, message);
    }

    public BitcoindException(Kind kind, int rpcCode, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.rpcCode = rpcCode;
    }

    public Kind kind() {
        return kind;
    }

    /** The JSON-RPC error code when {@link #kind()} is RPC (e.g. -32601 method not found). */
    public int rpcCode() {
        return rpcCode;
    }

    public static final int METHOD_NOT_FOUND = -32601;
    public static final int WALLET_NOT_FOUND = -18;
}
