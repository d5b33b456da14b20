package p2pool4j.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.FrameCodec;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.ShareException;
import p2pool4j.sharechain.ShareProducer;
import p2pool4j.sharechain.Tracker;
import p2pool4j.stats.Database;
import p2pool4j.stats.ShareStore;
import p2pool4j.testutil.Vectors;
import p2pool4j.testutil.Wait;
import p2pool4j.work.Node;
import p2pool4j.work.NodeVerticle;
import p2pool4j.app.NodeShareChain;

/**
 * Several p2pool4j nodes on loopback, each with its own Vert.x and SQLite file: the real regtest
 * chain (v34 -> v35 switch included) served by one node is downloaded and accepted by the others,
 * a new share made on A reaches C through B, and misbehaving peers are disconnected or banned
 * while the honest links keep working.
 */
class PeerNetworkIT {
    /** Just after the vector chain: its shares are recent enough to be downloaded. */
    private static final long CLOCK = 1_700_020_000L;
    private final List<Running> nodes = new ArrayList<>();
    private List<Share> chain;

    private record Running(Vertx vertx, Database db, Node node, PeerManager peers, int port) {}

    @BeforeEach
    void loadChain() throws Exception {
        chain = new ArrayList<>();
        for (var s : Vectors.load("chain_regtest.json").get("shares")) {
            chain.add(Share.loadWrapped(P2poolNetwork.REGTEST, Hex.decode(s.get("wire_hex").asText())));
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Running r : nodes) {
            await(r.vertx().close()); // undeploys the peers and the node
            r.db().close();
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private Running start(List<Share> preload, int... connectTo) throws Exception {
        Path dir = Files.createTempDirectory("p2pool4j-peer");
        Database db = Database.open(dir);
        ShareStore store = new ShareStore(db, "regtest");
        if (!preload.isEmpty()) {
            store.add(preload, 1).get();
        }
        Vertx vertx = Vertx.vertx();
        NodeVerticle nv = new NodeVerticle(P2poolNetwork.REGTEST, store, () -> CLOCK);
        await(vertx.deployVerticle(nv));
        Node node = nv.node();
        List<String[]> persistent = new ArrayList<>();
        for (int port : connectTo) {
            persistent.add(new String[] {"127.0.0.1", String.valueOf(port)});
        }
        PeerManager pm = new PeerManager(NodeShareChain.of(node), new PeerManager.Settings("127.0.0.1", 0, persistent, 0, 40, false,
                "p2pool4j-test"));
        await(vertx.deployVerticle(pm));
        int port = pm.port();
        Running r = new Running(vertx, db, node, pm, port);
        nodes.add(r);
        return r;
    }

    private static <T> T on(Node n, java.util.function.Function<Node.State, T> query) throws Exception {
        return await(n.read(query));
    }

    /** Polled every 20 ms: the relay figure below is timed by this wait. */
    private static void waitFor(String what, long seconds, Wait.Check cond) throws Exception {
        Wait.waitFor(what, seconds, 20, cond);
    }

    private Share nextShare(Sha256Hash onTopOf, int index) throws Exception {
        Tracker t = new Tracker(P2poolNetwork.REGTEST);
        chain.forEach(s -> t.add(s, 0, null));
        Share parent = chain.get(chain.size() - 1);
        ShareProducer.Inputs in = new ShareProducer.Inputs(onTopOf, 0x20000000L, parent.contents().minHeader().previousBlock(),
                parent.contents().minHeader().bits(), new byte[] {3, 1, 2, 3}, "mzW2hdZN2um7WBvTDerdahKqRgj3md9C29", 312_500_000L, 0, 0,
                P2poolNetwork.REGTEST.maxTarget(), parent.timestamp() + 10 + index, List.of(), List.of(), index);
        ShareProducer.Job job = ShareProducer.prepare(P2poolNetwork.REGTEST, t, in);
        for (long nonce = 0; ; nonce++) {
            try {
                return job.solve(index, job.blockVersion(), parent.timestamp() + 10, nonce);
            } catch (ShareException e) {
                // grind on
            }
        }
    }

    @Test
    void chainDownloadsAcrossNodesAndANewShareReachesEveryone() throws Exception {
        Running a = start(chain);
        Running b = start(List.of(), a.port());
        Sha256Hash tip = chain.get(459).hash();
        long d0 = System.nanoTime();
        // The head becomes best as soon as CHAIN_LENGTH+1 shares are in; the rest keeps downloading.
        waitFor("B to download the chain from A", 60, () -> tip.equals(b.node().snapshot().best())
                && on(b.node(), st -> st.tracker().height(tip)) == 460);
        System.out.println("download of 460 shares A -> B (connect included): " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - d0) + " ms");
        Running c = start(List.of(), b.port()); // started late, only knows B
        waitFor("C to download the chain from B", 60, () -> tip.equals(c.node().snapshot().best())
                && on(c.node(), st -> st.tracker().height(tip)) == 460);
        assertEquals(chain.get(389).version(), 35, "the chain crosses the 34 -> 35 switch");
        assertTrue(on(c.node(), st -> (Boolean) st.tracker().isVerified(chain.get(389).hash())).booleanValue());

        // A share made on A reaches C through B; everyone agrees on it.
        Share fresh = nextShare(tip, 1);
        long t0 = System.nanoTime();
        await(a.node().addShares(List.of(fresh), "local miner"));
        waitFor("C to see A's new share", 20, () -> fresh.hash().equals(c.node().snapshot().best()));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(fresh.hash(), b.node().snapshot().best());
        System.out.println("relay A -> B -> C: " + ms + " ms");
        // The peer list is published once a second: wait for the one that counts the new share.
        waitFor("B's published peer figures", 5, () -> b.peers().peers().stream().mapToLong(PeerInfo::sharesReceived).sum() >= 461);
        List<PeerInfo> bPeers = b.peers().peers();
        assertEquals(2, bPeers.size());
        System.out.println("B peers: " + bPeers);
        assertTrue(bPeers.stream().mapToLong(PeerInfo::sharesReceived).sum() >= 461, String.valueOf(bPeers));
    }

    /** A raw client on 127.0.0.N (only 127.0.0.1 is exempt from bans, as in the reference). */
    private static Socket attacker(int lastOctet, int port) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + lastOctet), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(5_000);
        return s;
    }

    private static boolean closedByPeer(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return true; // reset
        }
    }

    private static byte[] version(FrameCodec codec, long nonce) {
        Message.Version v = new Message.Version(3501, 0, new NetAddress(0, "127.0.0.1", 1), new NetAddress(0, "127.0.0.1", 2), nonce,
                "attacker", 1, null);
        return codec.encode("version", MessageCodec.encode(v));
    }

    @Test
    void badPeersAreDroppedOrBannedWhileHonestPeersCarryOn() throws Exception {
        Running a = start(chain);
        Running b = start(List.of(), a.port());
        Sha256Hash tip = chain.get(459).hash();
        waitFor("B synced", 60, () -> tip.equals(b.node().snapshot().best())
                && on(b.node(), st -> st.tracker().height(tip)) == 460);
        FrameCodec codec = MessageCodec.frames(P2poolNetwork.REGTEST.prefix());

        // Garbage: disconnected, not banned.
        try (Socket s = attacker(2, a.port())) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[200]);
            out.flush();
            assertTrue(closedByPeer(s));
        }
        // An oversize length: disconnected before anything is allocated.
        try (Socket s = attacker(2, a.port())) {
            byte[] f = codec.encode("shares", new byte[] {0});
            System.arraycopy(Hex.decode("00e1f505"), 0, f, 20, 4);
            s.getOutputStream().write(f);
            assertTrue(closedByPeer(s));
        }
        assertTrue(a.peers().bans().isEmpty(), "garbage and oversize are not ban offences");

        // A bad checksum: banned.
        try (Socket s = attacker(3, a.port())) {
            byte[] f = version(codec, 77);
            f[f.length - 1] ^= 1;
            s.getOutputStream().write(f);
            assertTrue(closedByPeer(s));
        }
        waitFor("a ban for 127.0.0.3", 10, () -> a.peers().bans().stream().anyMatch(x -> x.ip().equals("127.0.0.3")));

        // An invalid share (share_info off by one): the sender is banned once the tracker checks it.
        byte[] bad = null;
        for (var c : Vectors.load("chain_regtest.json").get("negative_and_edge_cases")) {
            if (c.get("desc").asText().startsWith("absheight off by one")) {
                bad = Hex.decode(c.get("wire_hex").asText());
            }
        }
        try (Socket s = attacker(4, a.port())) {
            OutputStream out = s.getOutputStream();
            out.write(version(codec, 78));
            p2pool4j.bitcoin.ByteReader r = new p2pool4j.bitcoin.ByteReader(bad);
            long type = r.varint();
            byte[] contents = r.varStr(1 << 20);
            out.write(codec.encode("shares", MessageCodec.encode(new Message.Shares(List.of(new Message.RawShare(type, contents))))));
            out.flush();
            assertTrue(closedByPeer(s));
        }
        waitFor("a ban for 127.0.0.4", 10, () -> a.peers().bans().stream().anyMatch(x -> x.ip().equals("127.0.0.4")));
        // A banned IP is refused at once.
        try (Socket s = attacker(4, a.port())) {
            assertTrue(closedByPeer(s));
        }

        // One address cannot take every incoming slot: 3 handshakes from 127.0.0.5 stand, the 4th to 10th are closed at once.
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                Socket s = attacker(5, a.port());
                s.getOutputStream().write(version(codec, 1000 + i));
                flood.add(s);
            }
            waitFor("3 peers from 127.0.0.5", 10, () -> a.peers().peers().stream().filter(p -> p.address().equals("127.0.0.5")).count() == 3);
            int refused = 0;
            for (Socket s : flood.subList(3, 10)) {
                refused += closedByPeer(s) ? 1 : 0;
            }
            assertEquals(7, refused, "the 4th to 10th connection from one IP are refused");
            assertTrue(a.peers().counters().getOrDefault("refused_per_ip", 0L) >= 7, a.peers().counters().toString());
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        waitFor("the flood's peers gone", 10, () -> a.peers().peers().size() == 1);

        // The honest link survived all of it and still relays.
        assertEquals(1, a.peers().peers().size());
        Share fresh = nextShare(tip, 2);
        await(a.node().addShares(List.of(fresh), "local miner"));
        waitFor("B to get A's share", 20, () -> fresh.hash().equals(b.node().snapshot().best()));
        assertFalse(a.peers().counters().isEmpty());
    }
}
