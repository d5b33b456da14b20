package p2pool4j.app;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.p2p.ShareChain;
import p2pool4j.sharechain.ChainShare;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.Tracker;
import p2pool4j.work.Node;

/** The node as the peer layer sees it: figures from its snapshot, chain questions answered on its context. */
public final class NodeShareChain implements ShareChain {
    private final Node node;

    private NodeShareChain(Node node) {
        this.node = node;
    }

    public static ShareChain of(Node node) {
        return new NodeShareChain(node);
    }

    @Override
    public P2poolNetwork net() {
        return node.net();
    }

    @Override
    public Sha256Hash best() {
        return node.snapshot().best();
    }

    @Override
    public int minimumProtocolVersion() {
        return node.snapshot().minimumProtocolVersion();
    }

    @Override
    public List<Tracker.Desired> desired() {
        return node.snapshot().desired();
    }

    @Override
    public Future<Set<Sha256Hash>> hashes() {
        return node.read(s -> {
            Set<Sha256Hash> out = new HashSet<>();
            for (ChainShare c : s.tracker().shares()) {
                out.add(c.hash());
            }
            return out;
        });
    }

    @Override
    public Future<Boolean> contains(Sha256Hash hash) {
        return node.read(s -> s.tracker().contains(hash));
    }

    @Override
    public Future<List<Share>> walk(List<Sha256Hash> from, long parents, Set<Sha256Hash> stops) {
        return node.read(s -> {
            List<Share> out = new ArrayList<>();
            for (Sha256Hash h : from) {
                Sha256Hash cur = h;
                for (long i = 0; i <= parents && cur != null && !stops.contains(cur); i++) {
                    Share share = s.tracker().share(cur);
                    if (share == null) {
                        break;
                    }
                    out.add(share);
                    cur = share.previousHash();
                }
            }
            return out;
        });
    }

    @Override
    public Future<List<Sourced>> newest(int max) {
        return node.read(s -> {
            List<Sourced> out = new ArrayList<>();
            Sha256Hash cur = s.best();
            while (cur != null && out.size() < max) {
                Share share = s.tracker().share(cur);
                if (share == null) {
                    break;
                }
                out.add(new Sourced(share, s.tracker().source(cur)));
                cur = share.previousHash();
            }
            return out;
        });
    }

    @Override
    public Future<List<Sha256Hash>> downloadStops() {
        return node.read(s -> {
            Tracker t = s.tracker();
            Set<Sha256Hash> stops = new LinkedHashSet<>();
            for (Sha256Hash head : t.heads()) {
                stops.add(head);
                ChainShare back = t.ancestor(head, Math.min(t.height(head) - 1, 10));
                if (back != null) {
                    stops.add(back.hash());
                }
                if (stops.size() >= 100) {
                    break;
                }
            }
            return List.copyOf(stops);
        });
    }

    @Override
    public Future<Integer> addShares(List<Share> shares, Object source) {
        return node.addShares(shares, source);
    }

    @Override
    public void onBestShare(Consumer<Sha256Hash> listener) {
        node.onBestShare(listener);
    }

    @Override
    public void onRefused(BiConsumer<Object, String> listener) {
        node.onRefused(r -> listener.accept(r.source(), r.reason()));
    }
}
