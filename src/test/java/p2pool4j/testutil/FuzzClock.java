package p2pool4j.testutil;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fuzz tests' time limit: no input may take 100 ms, once the first runs (class loading, the
 * interpreter) are past; those are not what a stranger meets on a running node. The time is the
 * fuzzing thread's own CPU time: a wall clock also counts garbage-collection pauses and the
 * scheduler on a shared box (an 82-byte input of zeros once "took" 100 ms that way).
 */
public final class FuzzClock {
    static final int WARM_UP = 2_000;
    static final long LIMIT_NANOS = 100_000_000L;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private int calls;
    private long started;

    public void start() {
        calls++;
        started = CPU.getCurrentThreadCpuTime();
    }

    public void check() {
        assertTrue(calls < WARM_UP || CPU.getCurrentThreadCpuTime() - started < LIMIT_NANOS, "an input took more than 100 ms");
    }
}
