package p2pool4j.bitcoind;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** Holds the latest {@link BitcoindState}; written by the RPC and P2P links, read by anyone. */
public final class BitcoindMonitor {
    private final AtomicReference<BitcoindState> state = new AtomicReference<>(BitcoindState.INITIAL);

    public BitcoindState state() {
        return state.get();
    }

    public void update(UnaryOperator<BitcoindState> f) {
        state.updateAndGet(f);
    }
}
