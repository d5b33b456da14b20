package p2pool4j.testutil;

import java.util.concurrent.TimeUnit;

/** The integration tests' one way to wait for a condition: polled, bounded, and named in the failure. */
public final class Wait {
    private Wait() {}

    /** A condition to poll; it may throw (a refused connection is "not yet"), which fails the wait. */
    @FunctionalInterface
    public interface Check {
        boolean ok() throws Exception;
    }

    /** Polls every 50 ms until {@code c} holds; after {@code seconds}, fails with "timed out waiting for WHAT". */
    public static void waitFor(String what, long seconds, Check c) throws Exception {
        waitFor(what, seconds, 50, c);
    }

    /** The same, polling every {@code pollMillis} (finer where the wait itself is a printed figure). */
    public static void waitFor(String what, long seconds, long pollMillis, Check c) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.ok()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(pollMillis);
        }
    }
}
