package p2pool4j.work;

/** How a miner's submission was judged (stats, logs, and the Stratum/getwork answer). */
public enum SubmitResult {
    /** Met the session target (a pseudo-share); may also be a share and/or a block. */
    ACCEPTED(true, 0, null),
    /** Below the session target. */
    LOW_DIFFICULTY(false, 23, "Low difficulty share"),
    /** On a job whose previous block is no longer the tip. */
    STALE(false, 21, "Stale"),
    DUPLICATE(false, 22, "Duplicate share"),
    UNKNOWN_JOB(false, 21, "Job not found"),
    BAD_VERSION(false, 20, "Invalid version mask"),
    BAD_NTIME(false, 20, "Ntime out of range"),
    BAD_EXTRANONCE(false, 20, "Incorrect size of extranonce2"),
    MALFORMED(false, 20, "Invalid parameters"),
    /** Getwork: more submits for one unit of work than its duplicate check holds (a rig should ask for new work). */
    TOO_MANY_SUBMITS(false, 20, "Too many submits for this work; ask for new work"),
    UNAUTHORIZED(false, 24, "Unauthorized worker"),
    NOT_SUBSCRIBED(false, 25, "Not subscribed");

    private final boolean accepted;
    private final int stratumCode;
    private final String message;

    SubmitResult(boolean accepted, int stratumCode, String message) {
        this.accepted = accepted;
        this.stratumCode = stratumCode;
        this.message = message;
    }

    public boolean accepted() {
        return accepted;
    }

    public int stratumCode() {
        return stratumCode;
    }

    public String message() {
        return message;
    }
}
