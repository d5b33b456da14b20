package p2pool4j.testutil;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fuzz tests' time limit: no input may take 100 ms, once the first runs (class loading, the
 * interpreter) are past; those are not what a stranger meets on a running node.
 */
public final class FuzzClock {
    static final int WARM_UP = 2_000;
    static final long LIMIT_NANOS = 100_000_000L;
    private int calls;
    private long started;

    public void start() {
        calls++;
        started = System.nanoTime();
    }

    public void check() {
        assertTrue(calls < WARM_UP || System.nanoTime() - started < LIMIT_NANOS, "an input took more than 100 ms");
    }
}
