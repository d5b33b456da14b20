package p2pool4j.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import p2pool4j.bitcoin.FrameCodec;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.net.FrameReader;
import p2pool4j.p2p.Message;
import p2pool4j.p2p.MessageCodec;
import p2pool4j.p2p.NetAddress;
import p2pool4j.p2p.PeerManager;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.Tracker;
import p2pool4j.work.Node;

/**
 * {@code p2pool4j bench p2p}: three nodes on loopback (simulation network, CHAIN_LENGTH 360),
 * figures for frame decoding, share relay latency A -&gt; B -&gt; C, and heap per idle peer.
 * Bounded: fixed counts, loopback only.
 */
final class P2pBench {
    private P2pBench() {}

    private record Running(Vertx vertx, Node node, PeerManager peers, int port) {}

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    static int run(PrintStream out) throws Exception {
        P2poolNetwork net = P2poolNetwork.simulation(360);
        Tracker local = new Tracker(net);
        List<Share> chain = BenchCommand.extend(net, local, null, 400);
        long clock = BenchCommand.TIME + 30L * 1000;

        // 1. Frame decoding: a shares frame carrying two shares, and pings.
        FrameCodec codec = MessageCodec.frames(net.prefix());
        byte[] sharesFrame = codec.encode("shares", MessageCodec.encode(new Message.Shares(List.of(
                new Message.RawShare(35, chain.get(0).rawContents()), new Message.RawShare(35, chain.get(1).rawContents())))));
        byte[] ping = codec.encode("ping", new byte[0]);
        for (byte[] frame : List.of(sharesFrame, ping)) {
            int n = frame == ping ? 1_000_000 : 200_000;
            long[] decoded = {0};
            FrameReader reader = new FrameReader(codec, f -> {
                MessageCodec.decode(f.command(), f.payload());
                decoded[0]++;
            }, e -> { throw new IllegalStateException(e); });
            Buffer batch = Buffer.buffer();
            for (int i = 0; i < 100; i++) {
                batch.appendBytes(frame);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n / 100; i++) {
                reader.handle(batch.copy());
            }
            double s = (System.nanoTime() - t0) / 1e9;
            out.printf("decode %s frames (%d bytes): %.0f frames/s, %.1f MB/s%n", frame == ping ? "ping" : "2-share", frame.length,
                    decoded[0] / s, decoded[0] * (double) frame.length / s / 1e6);
        }

        // 2. Relay latency A -> B -> C.
        List<Running> nodes = new ArrayList<>();
        try {
            Running a = start(net, clock, nodes, -1);
            await(a.node().addShares(chain, "local"));
            Running b = start(net, clock, nodes, a.port());
            Running c = start(net, clock, nodes, b.port());
            Sha256Hash tip = chain.get(chain.size() - 1).hash();
            waitUntil(() -> tip.equals(c.node().snapshot().best()) && await(c.node().read(st -> st.tracker().height(tip))) == 400);
            int rounds = 200;
            long[] ms = new long[rounds];
            Sha256Hash best = tip;
            for (int i = 0; i < rounds; i++) {
                Share next = BenchCommand.extend(net, local, best, 1).get(0);
                CompletableFuture<Long> seen = new CompletableFuture<>();
                long t0 = System.nanoTime();
                c.node().onBestShare(h -> {
                    if (h.equals(next.hash())) {
                        seen.complete(System.nanoTime() - t0);
                    }
                });
                await(a.node().addShares(List.of(next), "local"));
                ms[i] = seen.get(30, TimeUnit.SECONDS) / 1_000;
                best = next.hash();
            }
            Arrays.sort(ms);
            out.printf("relay A -> B -> C (%d shares, each verified at every hop): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", rounds,
                    ms[rounds / 2] / 1000.0, ms[rounds * 99 / 100] / 1000.0, ms[rounds - 1] / 1000.0);

            // 3. Heap per idle peer: raw connections that complete the handshake and stay idle.
            int idle = 300;
            System.gc();
            long before = BenchCommand.usedHeap();
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < idle; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", a.port()), 5_000);
                OutputStream o = s.getOutputStream();
                o.write(codec.encode("version", MessageCodec.encode(new Message.Version(3501, 0, new NetAddress(0, "127.0.0.1", 1),
                        new NetAddress(0, "127.0.0.1", 1), 1_000_000L + i, "idle", 1, null))));
                o.flush();
                sockets.add(s);
            }
            waitUntil(() -> a.peers().peers().size() >= idle + 1);
            System.gc();
            long after = BenchCommand.usedHeap();
            out.printf("heap per idle established peer: %.1f KB (%d peers; includes the sockets' buffers in this JVM)%n",
                    (after - before) / 1024.0 / idle, idle);
            for (Socket s : sockets) {
                s.close();
            }
        } finally {
            for (Running r : nodes) {
                await(r.vertx().close()); // undeploys the peers and the node
            }
        }
        return 0;
    }

    private static Running start(P2poolNetwork net, long clock, List<Running> nodes, int connectTo) throws Exception {
        Vertx vertx = Vertx.vertx();
        p2pool4j.work.NodeVerticle nv = new p2pool4j.work.NodeVerticle(net, null, () -> clock);
        await(vertx.deployVerticle(nv));
        Node node = nv.node();
        List<String[]> persistent = connectTo < 0 ? List.of() : List.<String[]>of(new String[] {"127.0.0.1", String.valueOf(connectTo)});
        PeerManager pm = new PeerManager(NodeShareChain.of(node), new PeerManager.Settings("127.0.0.1", 0, persistent, 0, 1000, false,
                "bench"));
        await(vertx.deployVerticle(pm));
        Running r = new Running(vertx, node, pm, pm.port());
        nodes.add(r);
        return r;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitUntil(Check c) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!c.ok()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("bench timed out");
            }
            Thread.sleep(20);
        }
    }
}
