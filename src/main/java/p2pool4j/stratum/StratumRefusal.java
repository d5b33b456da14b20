package p2pool4j.stratum;

/**
 * Why a Stratum line or its params were refused: the counter it goes to
 * ({@code p2pool_stratum_errors_total{reason}}), the JSON-RPC error answered, and whether the
 * session is closed (a line that is not JSON at all: nothing to answer).
 */
final class StratumRefusal extends Exception {
    private final String counter;
    private final int code;
    private final transient Object id;
    private final boolean fatal;

    StratumRefusal(String counter, int code, String message, Object id, boolean fatal) {
        super(message, null, false, false);
        this.counter = counter;
        this.code = code;
        this.id = id;
        this.fatal = fatal;
    }

    String counter() {
        return counter;
    }

    int code() {
        return code;
    }

    Object id() {
        return id;
    }

    boolean fatal() {
        return fatal;
    }
}
