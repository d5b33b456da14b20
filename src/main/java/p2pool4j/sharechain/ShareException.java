package p2pool4j.sharechain;

/** A share refused for a typed {@link Rejection}, with a detail for the log. */
public final class ShareException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Rejection rejection;

    public ShareException(Rejection rejection, String detail) {
        super(rejection.message() + (detail == null || detail.isEmpty() ? "" : ": " + detail), null, false, false);
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }
}
