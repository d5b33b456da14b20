package p2pool4j.work;

import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * Heights of the Bitcoin blocks shares build on, for fork scoring (protocol spec 12.2 step 4: a
 * chain's recent work per parent-chain time, where a share on an old block counts as old). Asked
 * of bitcoind ({@code getblockheader}) once per block, asynchronously: a block not known yet
 * scores as very old until its height arrives, then the node thinks again, as the reference
 * does. Bounded: {@value #MAX_CACHED} heights kept, {@value #MAX_IN_FLIGHT} questions at once.
 * Lives on the node's context.
 */
public final class BlockHeights {
    static final int MAX_CACHED = 10_000;
    static final int MAX_IN_FLIGHT = 16;

    /** Where heights come from: bitcoind's getblockheader; fails for a block it does not know. */
    public interface Source {
        Future<Integer> height(Sha256Hash block);
    }

    private final Map<Sha256Hash, Integer> cached = p2pool4j.util.Lru.map(MAX_CACHED, true);
    private final Set<Sha256Hash> inFlight = new HashSet<>();
    private final Set<Sha256Hash> unknown = p2pool4j.util.Lru.set(MAX_CACHED);
    private Source source;
    private io.vertx.core.Context context;
    private Runnable changed = () -> { };
    private int bestHeight = -1;

    /** @param context the node's: answers are taken there, and {@code onNewHeight} runs there */
    void source(Source s, io.vertx.core.Context context, Runnable onNewHeight) {
        this.source = s;
        this.context = context;
        this.changed = onNewHeight;
    }

    /** A block whose height is known without asking (the template's parent); the highest seen is the tip. */
    void known(Sha256Hash block, int height) {
        cached.put(block, height);
        bestHeight = Math.max(bestHeight, height);
    }

    /**
     * The height of {@code block} relative to the highest block known (0 for the tip, negative
     * below it), or null while unknown (the question is then on its way).
     */
    Integer relative(Sha256Hash block) {
        Integer h = cached.get(block);
        if (h == null) {
            ask(block);
            return null;
        }
        bestHeight = Math.max(bestHeight, h);
        return h - bestHeight;
    }

    private void ask(Sha256Hash block) {
        if (source == null || inFlight.contains(block) || unknown.contains(block) || inFlight.size() >= MAX_IN_FLIGHT) {
            return;
        }
        inFlight.add(block);
        Future<Integer> f;
        try {
            f = source.height(block);
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> context.runOnContext(v -> {
            inFlight.remove(block);
            if (ar.succeeded() && ar.result() != null) {
                cached.put(block, ar.result());
                changed.run();
            } else {
                unknown.add(block); // bitcoind does not know it (another chain, or junk): very old, asked no more
            }
        }));
    }

    int size() {
        return cached.size();
    }
}
