package p2pool4j.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * Work is refused (protocol spec, "work is refused") without a template, with one over 60 s old,
 * and on a persisting network (mainnet) without peers or before a downloaded chain is verified;
 * on testnet and regtest a node may start a chain of its own.
 */
class ReadinessTest {
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void aTemplateComesFirst() {
        assertEquals("waiting for a block template from bitcoind", Readiness.notReady(0, NOW, false, 3, true));
        assertEquals("lost contact with bitcoind", Readiness.notReady(NOW - 60_001, NOW, false, 3, true));
        assertNull(Readiness.notReady(NOW - 60_000, NOW, false, 0, false), "regtest/testnet: no peers and no chain are fine");
    }

    @Test
    void onMainnetTheNodeJoinsTheNetworkBeforeItMines() {
        assertEquals("p2pool is not connected to any peers", Readiness.notReady(NOW - 1_000, NOW, true, 0, false));
        assertEquals("p2pool is not connected to any peers", Readiness.notReady(NOW - 1_000, NOW, true, 0, true));
        assertEquals("p2pool is downloading shares", Readiness.notReady(NOW - 1_000, NOW, true, 2, false));
        assertNull(Readiness.notReady(NOW - 1_000, NOW, true, 2, true), "synced: work resumes");
    }
}
