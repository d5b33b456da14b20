package p2pool4j.bitcoind;

import org.slf4j.Logger;

/**
 * Logs a link's problem once, not once per retry, and logs the recovery after it. One per link,
 * used from that link's event loop.
 */
final class ProblemLog {
    private final Logger log;
    private String last;
    private long repeats;

    ProblemLog(Logger log) {
        this.log = log;
    }

    void problem(String message) {
        if (message.equals(last)) {
            repeats++;
            return;
        }
        last = message;
        repeats = 0;
        log.warn("{}", message);
    }

    void recovered(String message) {
        if (last != null) {
            log.info("{} (after {} more failed attempts)", message, repeats);
            last = null;
        }
    }
}
