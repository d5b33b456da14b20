package p2pool4j.sharechain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import p2pool4j.bitcoin.Sha256Hash;

/** A plain map of shares for tests of the chain algorithms on their own (the tracker is tested against it). */
final class MemoryChain implements ChainView {
    private final Map<Sha256Hash, ChainShare> shares = new HashMap<>();

    MemoryChain(List<? extends ChainShare> list) {
        list.forEach(this::add);
    }

    void add(ChainShare s) {
        shares.put(s.hash(), s);
    }

    void remove(Sha256Hash h) {
        shares.remove(h);
    }

    @Override
    public ChainShare get(Sha256Hash hash) {
        return hash == null ? null : shares.get(hash);
    }

    @Override
    public int height(Sha256Hash hash) {
        int h = 0;
        ChainShare s = get(hash);
        while (s != null) {
            h++;
            s = get(s.previousHash());
        }
        return h;
    }
}
