package p2pool4j.app;

import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.sharechain.ChainLoader;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Pplns;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.ShareCheck;
import p2pool4j.sharechain.ShareException;
import p2pool4j.sharechain.ShareProducer;
import p2pool4j.sharechain.Tracker;
import p2pool4j.stats.Database;
import p2pool4j.stats.ShareStore;

/**
 * {@code p2pool4j bench sharechain [--shares N]}: builds a mainnet-length chain on the simulation
 * network (mainnet's CHAIN_LENGTH, regtest's easy targets, so a CPU can make it), then prints
 * figures: build rate, decode+verify throughput, store and reload+verify time from SQLite, PPLNS
 * cost per new share at a full window (incremental vs a plain walk), and heap with the chain held.
 * Figures, not pass/fail: compare ratios across runs on the same machine.
 */
public final class BenchCommand {
    private BenchCommand() {}

    static final long TIME = 1_700_000_000L;
    static final long BLOCK_BITS = 0x1f00ffffL;

    /**
     * The node's own restart (its verticle, as production runs it): from opening the database to
     * serving work from the stored chain, and to the chain fully verified again. The first run
     * finds no verified marks (verifies before serving) and leaves them; the second trusts them.
     */
    private static void restart(P2poolNetwork net, Path dir, long clock, PrintStream out, boolean marked) throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try (Database db = Database.open(dir)) {
            long t0 = System.nanoTime();
            p2pool4j.work.NodeVerticle nv = new p2pool4j.work.NodeVerticle(net, new ShareStore(db, net.name()), () -> clock);
            P2pBench.await(vertx.deployVerticle(nv));
            long ready = System.nanoTime();
            P2pBench.await(nv.node().fullyVerified());
            long verified = System.nanoTime();
            out.printf("node restart (%s): serving from the stored chain %.3f s after the database opened, fully verified %.3f s;"
                    + " best at height %d%n", marked ? "verified marks in the store" : "no verified marks yet", (ready - t0) / 1e9,
                    (verified - t0) / 1e9, nv.node().snapshot().height());
            P2pBench.await(vertx.close()); // undeploys: the node writes its verified marks
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        int n = 8640;
        int txs = 0;
        String what = args.length > 0 ? args[0] : "";
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--shares") && i + 1 < args.length) {
                n = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--txs") && i + 1 < args.length) {
                txs = Math.max(0, Math.min(10_000, Integer.parseInt(args[++i])));
            } else if (!what.equals("stats")) {
                what = "?";
            }
        }
        if (what.equals("p2p")) {
            return P2pBench.run(out);
        }
        if (what.equals("stats")) {
            return StatsBench.run(java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        if (!what.equals("sharechain")) {
            err.println("usage: p2pool4j bench sharechain [--shares N] [--txs N] | bench p2p | bench stats [--workers N] [--seconds S]");
            return Main.EXIT_CONFIG;
        }
        P2poolNetwork net = P2poolNetwork.simulation(8640);
        out.printf("simulation network: CHAIN_LENGTH %d, building %d shares on templates of %d transactions%n",
                net.chainLength(), n, txs);
        long t0 = System.nanoTime();
        Tracker tracker = new Tracker(net);
        List<Share> shares = extend(net, tracker, null, n, fakeTxids(txs));
        Sha256Hash best = shares.get(shares.size() - 1).hash();
        long time = TIME;
        BigInteger blockTarget = p2pool4j.bitcoin.Targets.fromBits(BLOCK_BITS);
        double buildS = (System.nanoTime() - t0) / 1e9;
        out.printf("built %d shares in %.2f s (%.0f shares/s, producer + grinding)%n", n, buildS, n / buildS);

        // PPLNS at a full window: incremental (tracker) vs a plain walk, for the newest shares.
        int probes = Math.min(200, n - 1);
        BigInteger desired = Pplns.desiredWeight(blockTarget);
        int maxShares = Math.min(n, net.realChainLength()) - 1;
        Tracker fresh = new Tracker(net);
        for (Share s : shares) {
            fresh.add(s, 0, null);
        }
        long w0 = System.nanoTime();
        for (int i = n - probes; i < n; i++) {
            fresh.pplns(shares.get(i).hash(), maxShares, desired);
        }
        double incrementalUs = (System.nanoTime() - w0) / 1e3 / probes;
        long w1 = System.nanoTime();
        for (int i = n - 20; i < n; i++) {
            Pplns.weights(fresh, shares.get(i).hash(), maxShares, desired);
        }
        double walkUs = (System.nanoTime() - w1) / 1e3 / 20;
        out.printf("PPLNS per new share at a full window (%d shares): incremental %.1f us, plain walk %.1f us (%.0fx)%n",
                maxShares, incrementalUs, walkUs, walkUs / incrementalUs);

        // Decode + verify throughput on the newest shares (each checked against the full chain).
        int k = Math.min(500, n);
        long v0 = System.nanoTime();
        for (int i = n - k; i < n; i++) {
            Share s = shares.get(i);
            Share again = Share.load(net, s.version(), s.rawContents());
            ShareCheck.check(again, fresh, time + 30L * n);
        }
        double verifyS = (System.nanoTime() - v0) / 1e9;
        out.printf("decode + verify: %.0f shares/s (%d shares, each with full-window PPLNS, voting window and target rules)%n",
                k / verifyS, k);

        Path dir = Files.createTempDirectory("p2pool4j-bench");
        try {
            long s0 = System.nanoTime();
            try (Database db = Database.open(dir)) {
                new ShareStore(db, net.name()).add(shares, 0).get();
            }
            out.printf("stored %d shares in SQLite in %.2f s (%d KB on disk)%n", n, (System.nanoTime() - s0) / 1e9,
                    Files.size(dir.resolve(Database.FILE)) / 1024);
            shares.clear();
            tracker = null;
            fresh = null;
            System.gc();
            long heapBefore = usedHeap();
            // In a method of its own, so the rows read and the raw list are garbage once it returns.
            ChainLoader.Loaded loaded = reload(net, dir, time + 30L * n, out);
            System.gc();
            long held = usedHeap() - heapBefore;
            out.printf("heap holding the loaded chain: %.1f MB (%d shares, %.0f bytes a share)%n", held / 1048576.0,
                    loaded.tracker().size(), (double) held / loaded.tracker().size());
            restart(net, dir, time + 30L * n, out, false);
            restart(net, dir, time + 30L * n, out, true);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private static ChainLoader.Loaded reload(P2poolNetwork net, Path dir, long clock, PrintStream out) throws Exception {
        long l0 = System.nanoTime();
        try (Database db = Database.open(dir)) {
            List<ShareStore.Stored> stored = new ShareStore(db, net.name()).loadAll().get();
            long l1 = System.nanoTime();
            List<ChainLoader.Raw> raw = new ArrayList<>(stored.size());
            stored.forEach(s -> raw.add(new ChainLoader.Raw(s.type(), s.contents(), s.timeSeen())));
            ChainLoader.Loaded loaded = ChainLoader.load(net, raw, clock, h -> 0);
            long l2 = System.nanoTime();
            out.printf("reload from SQLite: read %.2f s, parse + verify %.2f s, total %.2f s; best at height %d, %d verified%n",
                    (l1 - l0) / 1e9, (l2 - l1) / 1e9, (l2 - l0) / 1e9, loaded.tracker().height(loaded.decision().best()),
                    loaded.tracker().verifiedHeight(loaded.decision().best()));
            return loaded;
        }
    }

    /** Payout addresses of 60 simulated miners, half P2PKH, half P2WPKH. */
    static List<String> payees() {
        List<String> payees = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            byte[] h = Hashes.hash160(("miner " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            payees.add(i % 2 == 0 ? Address.p2pkh(h, ChainParams.REGTEST).text() : Address.witness(0, h, ChainParams.REGTEST).text());
        }
        return payees;
    }

    /**
     * Stand-in transaction ids for a template of {@code n} transactions: the share's merkle
     * branches then have the length a mainnet block of that size gives (12 hashes at 3,000).
     */
    static List<Sha256Hash> fakeTxids(int n) {
        List<Sha256Hash> txids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            txids.add(Hashes.hash256(java.nio.ByteBuffer.allocate(4).putInt(i).array()));
        }
        return txids;
    }

    static List<Share> extend(P2poolNetwork net, Tracker tracker, Sha256Hash from, int n) throws ShareException {
        return extend(net, tracker, from, n, List.of());
    }

    /** Grows the tracker's chain by {@code n} v35 shares on {@code from} (marked verified: we built them) and returns them. */
    static List<Share> extend(P2poolNetwork net, Tracker tracker, Sha256Hash from, int n, List<Sha256Hash> txids) throws ShareException {
        List<String> payees = payees();
        List<Share> shares = new ArrayList<>(n);
        Sha256Hash best = from;
        int base = best == null ? 0 : tracker.height(best);
        for (int k = 0; k < n; k++) {
            int i = base + k;
            ShareProducer.Inputs in = new ShareProducer.Inputs(best, 0x20000000L, Sha256Hash.ZERO, BLOCK_BITS, new byte[] {2, 1, 0},
                    payees.get(i % payees.size()), 312_500_000L, i % 7 == 0 ? 655 : 0, 0, net.maxTarget(), TIME + 30L * i,
                    txids, txids, i);
            // Today's mainnet chain is v35 throughout; a chain may start at any version (spec 11.2, UNSURE 3).
            ShareProducer.Job job = ShareProducer.prepare(net, tracker, in, p2pool4j.sharechain.ShareVersion.V35);
            Share s = null;
            for (long nonce = 0; s == null; nonce++) {
                try {
                    s = job.solve(i, job.blockVersion(), TIME + 30L * i, nonce);
                } catch (ShareException e) {
                    // about half the nonces miss even the easiest target
                }
            }
            tracker.add(s, 0, null);
            tracker.markVerified(s.hash());
            shares.add(s);
            best = s.hash();
        }
        return shares;
    }

    static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
