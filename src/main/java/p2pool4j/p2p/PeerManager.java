package p2pool4j.p2p;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Rejection;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.ShareException;
import p2pool4j.sharechain.Tracker;
import p2pool4j.util.Hop;

/**
 * Makes the node a member of the P2Pool network: accepts and dials peers within the limits of
 * protocol spec 4.3, bans misbehaving IPs, keeps the address book, relays new best shares (at
 * most 5, never back to their sender), downloads missing parents, and answers share requests.
 * The p2p verticle: its state lives on its own event loop; it reads the node's published figures
 * and asks the node ({@link ShareChain}) for shares. What others read of it (peers, bans,
 * counters) is published as immutable lists.
 */
public final class PeerManager extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(PeerManager.class);

    /** Settings; defaults follow the reference. */
    public record Settings(String listenHost, int listenPort, List<String[]> persistent, int outgoingTarget, int maxIncoming,
            boolean lowBandwidth, String subVersion) {
        public Settings {
            persistent = List.copyOf(persistent);
            if (outgoingTarget < 0 || outgoingTarget > 10) {
                throw new IllegalArgumentException("outgoing connections: 0 to 10");
            }
        }
    }

    static final int MAX_PER_SLASH16 = 3;
    /** Incoming peers from one IP address, loopback included. */
    static final int MAX_INCOMING_PER_IP = 3;
    static final int RELAY_MAX = 5;
    static final int SHARED_MEMORY = 100_000;

    private final ShareChain node;
    private final P2poolNetwork net;
    private final Settings settings;
    private final long nonce = ThreadLocalRandom.current().nextLong();
    private final Map<Peer, Long> connections = new HashMap<>();
    private final Map<Long, Peer> byNonce = new HashMap<>();
    private final Set<String> dialing = new HashSet<>();
    private final Map<String, Long> persistentBackoff = new HashMap<>();
    private final Map<String, Long> persistentNextTry = new HashMap<>();
    private final BanList bans = new BanList();
    private final AddressBook book = new AddressBook();
    private final LinkedHashSet<Sha256Hash> shared = new LinkedHashSet<>();
    private final Random random = new Random();
    private final Map<String, AtomicLong> counters = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile List<PeerInfo> published = List.of();
    private volatile List<BanList.Ban> publishedBans = List.of();
    private NetServer server;
    private NetClient client;
    private final List<Long> timers = new ArrayList<>();
    private boolean downloading;
    private int boundPort;

    public PeerManager(ShareChain node, Settings settings) {
        this.node = node;
        this.net = node.net();
        this.settings = settings;
    }

    /** Starts listening and the connection, download and gossip loops; answers the bound port. */
    @Override
    public Future<Integer> start() {
        return node.hashes().compose(known -> Future.<Integer>future(p -> {
            shared.addAll(known); // shares loaded from disk count as already sent, like the reference
            trimShared();
            long now = now();
            for (String b : net.bootstrapAddresses()) {
                String[] hp = b.split(":");
                book.seen(hp[0], hp.length > 1 ? Integer.parseInt(hp[1]) : net.p2pPort(), 0, now);
            }
            client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000).setTcpNoDelay(true));
            server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true));
            server.connectHandler(this::incoming);
            node.onBestShare(best -> relay());
            node.onRefused((source, reason) -> {
                if (source instanceof Peer peer) {
                    offence(peer.ip(), BanList.BASE_MISBEHAVING, "share failed verification: " + reason);
                    peer.end(Peer.Verdict.DISCONNECT, "sent a share that failed verification (" + reason + ")");
                }
            });
            timers.add(vertx.setPeriodic(1_000, id -> {
                connectMore();
                download();
                publish();
            }));
            timers.add(vertx.setPeriodic(20_000, id -> askAddresses()));
            timers.add(vertx.setPeriodic(100_000, id -> advertise()));
            timers.add(vertx.setPeriodic(3_600_000, id -> bans.decay(now())));
            server.listen(settings.listenPort(), settings.listenHost()).onComplete(ar -> {
                if (ar.failed()) {
                    p.fail("cannot listen for P2Pool peers on " + settings.listenHost() + ":" + settings.listenPort() + ": "
                            + ar.cause().getMessage());
                    return;
                }
                boundPort = ar.result().actualPort();
                LOG.info("P2Pool peers: listening on {}:{}, {} outgoing wanted, {} persistent", settings.listenHost(), boundPort,
                        settings.outgoingTarget(), settings.persistent().size());
                connectMore();
                p.complete(boundPort);
            });
        }));
    }

    @Override
    public Future<Void> stop() {
        timers.forEach(vertx::cancelTimer);
        for (Peer peer : new ArrayList<>(connections.keySet())) {
            peer.end(Peer.Verdict.DISCONNECT, "shutting down");
        }
        Future<Void> s = server == null ? Future.succeededFuture() : server.close();
        return s.eventually(() -> client == null ? Future.succeededFuture() : client.close()).transform(ar -> Future.succeededFuture());
    }

    /** Refreshes what other verticles read: the established peers and active bans. */
    private void publish() {
        List<PeerInfo> out = new ArrayList<>();
        for (Peer p : connections.keySet()) {
            if (p.established()) {
                out.add(p.info());
            }
        }
        published = List.copyOf(out);
        publishedBans = List.copyOf(bans.active(now()));
    }

    public int port() {
        return boundPort;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private void count(String what) {
        counters.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    /** Counters of what peers did to us (disconnect reasons, bans), for metrics (any thread). */
    public Map<String, Long> counters() {
        Map<String, Long> out = new HashMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Established peers as of the last change or second (any thread). */
    public List<PeerInfo> peers() {
        return published;
    }

    /** Active bans as of the last second (any thread). */
    public List<BanList.Ban> bans() {
        return publishedBans;
    }

    /** A copy of the address book, for storing it (taken on this verticle's context). */
    public Future<Map<AddressBook.Key, AddressBook.Entry>> addresses() {
        return Hop.to(context, () -> Map.copyOf(book.entries()));
    }

    // ---- connections ---------------------------------------------------------------------

    private Message.Version ourVersion(String peerIp, int peerPort) {
        String toHost = NetAddress.canonical(peerIp);
        Sha256Hash best = node.best();
        return new Message.Version(P2poolNetwork.PROTOCOL_VERSION, 0, new NetAddress(0, toHost, peerPort),
                new NetAddress(0, "127.0.0.1", boundPort), nonce, settings.subVersion(), settings.lowBandwidth() ? 0 : 1, best);
    }

    private static String slash16(String ip) {
        if (ip.contains(":")) {
            String c = NetAddress.canonical(ip);
            return c.substring(0, 9); // first 32 bits of an IPv6 address
        }
        String[] p = ip.split("\\.");
        return p.length >= 2 ? p[0] + "." + p[1] : ip;
    }

    private void incoming(NetSocket socket) {
        String ip = socket.remoteAddress().hostAddress();
        int port = socket.remoteAddress().port();
        if (bans.isBanned(ip, now())) {
            count("refused_banned");
            socket.close();
            return;
        }
        long in = connections.keySet().stream().filter(Peer::incoming).count();
        long sameIp = connections.keySet().stream().filter(p -> p.incoming() && p.ip().equals(ip)).count();
        long same16 = connections.keySet().stream().filter(p -> p.incoming() && slash16(p.ip()).equals(slash16(ip))).count();
        if (in >= settings.maxIncoming()) {
            count("refused_limit");
            socket.close();
            return;
        }
        // One address (or one /16) must not take the slots honest peers need; loopback is exempt from the /16 rule only.
        if (sameIp >= MAX_INCOMING_PER_IP || (!NetAddress.isLoopback(ip) && same16 >= MAX_PER_SLASH16)) {
            count("refused_per_ip");
            socket.close();
            return;
        }
        attach(socket, true, ip, port);
    }

    private void attach(NetSocket socket, boolean incoming, String ip, int port) {
        Peer peer = new Peer(vertx, this, socket, MessageCodec.frames(net.prefix()), incoming, ip, port);
        connections.put(peer, System.currentTimeMillis());
        peer.start(ourVersion(ip, port));
    }

    /** Checks a peer's version (spec 3.1); returns a refusal reason, or null to accept. */
    String accept(Peer peer, Message.Version v) {
        int minimum = node.minimumProtocolVersion();
        if (v.version() < minimum) {
            return "peer too old (protocol " + v.version() + " < " + minimum + ")";
        }
        if (v.nonce() == nonce) {
            return "was connected to self";
        }
        if (byNonce.containsKey(v.nonce())) {
            return "duplicate connection";
        }
        return null;
    }

    void onEstablished(Peer peer) {
        byNonce.put(peer.version().nonce(), peer);
        count("established");
        LOG.info("peer {} connected ({}, protocol {}, {})", peer, peer.incoming() ? "incoming" : "outgoing", peer.version().version(),
                peer.version().subVersion().length() > 64 ? peer.version().subVersion().substring(0, 64) : peer.version().subVersion());
        if (!peer.incoming()) {
            book.seen(peer.ip(), peer.port(), peer.version().services(), now());
            persistentBackoff.remove(peer.ip() + ":" + peer.port());
        }
        peer.send(new Message.AddrMe(boundPort));
        Sha256Hash theirBest = peer.version().bestShareHash();
        publish();
        if (theirBest == null) {
            return;
        }
        node.contains(theirBest).onSuccess(known -> {
            if (known || !peer.established()) {
                return;
            }
            peer.request(List.of(theirBest), 0, List.of()).onComplete(ar -> {
                if (ar.failed() || ar.result().result() != Message.ShareReply.GOOD) {
                    offence(peer.ip(), BanList.BASE_FAILED_REQUEST, "failed to send its announced best share");
                    peer.end(Peer.Verdict.DISCONNECT, "best share request failed");
                } else {
                    receiveShares(peer, ar.result().shares());
                }
            });
        });
    }

    void onClosed(Peer peer, Peer.Verdict verdict, String reason) {
        connections.remove(peer);
        publish();
        if (peer.version() != null && byNonce.get(peer.version().nonce()) == peer) {
            byNonce.remove(peer.version().nonce());
        }
        if (verdict == Peer.Verdict.BAN) {
            offence(peer.ip(), BanList.BASE_MISBEHAVING, reason);
        } else if (verdict == Peer.Verdict.BAN_SHORT) {
            offence(peer.ip(), BanList.BASE_FAILED_REQUEST, reason);
        }
        if (reason != null) {
            count("disconnect:" + (verdict == Peer.Verdict.DISCONNECT ? "plain" : "ban"));
            if (peer.version() != null || verdict != Peer.Verdict.DISCONNECT) {
                LOG.info("peer {} disconnected: {}", peer, reason);
            } else {
                LOG.debug("peer {} disconnected: {}", peer, reason);
            }
        }
    }

    private void offence(String ip, long base, String reason) {
        long until = bans.offence(ip, base, reason, now());
        if (until > 0) {
            count("bans");
            LOG.warn("banned {} until {} (score {}): {}", ip, java.time.Instant.ofEpochSecond(until), bans.score(ip), reason);
        }
    }

    private void connectMore() {
        long now = now();
        // Persistent peers first: always wanted, retried with backoff.
        for (String[] hp : settings.persistent()) {
            String key = hp[0] + ":" + hp[1];
            if (isConnectedTo(hp[0], Integer.parseInt(hp[1])) || dialing.contains(key)
                    || persistentNextTry.getOrDefault(key, 0L) > System.currentTimeMillis()) {
                continue;
            }
            dial(hp[0], Integer.parseInt(hp[1]), true);
        }
        long outgoing = connections.keySet().stream().filter(p -> !p.incoming()).count() + dialing.size();
        if (outgoing >= settings.outgoingTarget() || book.size() == 0) {
            return;
        }
        Set<String> busy16 = new HashSet<>();
        for (String d : dialing) {
            busy16.add(slash16(d.substring(0, d.lastIndexOf(':'))));
        }
        for (Map.Entry<AddressBook.Key, AddressBook.Entry> e : book.good(20, now, random)) {
            String host = e.getKey().host();
            int port = e.getKey().port();
            if (isConnectedTo(host, port) || bans.isBanned(host, now) || busy16.contains(slash16(host))
                    || (port == boundPort && NetAddress.isLoopback(host))) {
                continue;
            }
            dial(host, port, false);
            return; // one attempt per tick, like the reference's ~1 s pacing
        }
    }

    private boolean isConnectedTo(String host, int port) {
        for (Peer p : connections.keySet()) {
            if (!p.incoming() && p.port() == port && (p.ip().equals(host) || sameIp(p.ip(), host))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameIp(String a, String b) {
        try {
            return NetAddress.canonical(a).equals(NetAddress.canonical(b));
        } catch (RuntimeException notAnIp) {
            return false;
        }
    }

    private void dial(String host, int port, boolean persistent) {
        String key = host + ":" + port;
        dialing.add(key);
        client.connect(port, host).onComplete(ar -> {
            dialing.remove(key);
            if (ar.failed()) {
                count("dial_failed");
                if (persistent) {
                    long backoff = Math.min(persistentBackoff.getOrDefault(key, 500L) * 2, 60_000);
                    persistentBackoff.put(key, backoff);
                    persistentNextTry.put(key, System.currentTimeMillis() + backoff);
                    LOG.debug("persistent peer {} unreachable: {} (retry in {} ms)", key, ar.cause().getMessage(), backoff);
                }
                return;
            }
            NetSocket s = ar.result();
            attach(s, false, s.remoteAddress().hostAddress(), port);
        });
    }

    // ---- messages ------------------------------------------------------------------------

    void onMessage(Peer peer, Message m) {
        if (m instanceof Message.Shares s) {
            receiveShares(peer, s.shares());
        } else if (m instanceof Message.ShareReq q) {
            answer(peer, q);
        } else if (m instanceof Message.AddrMe a) {
            addrMe(peer, a.port());
        } else if (m instanceof Message.Addrs a) {
            for (Message.AddrRecord rec : a.addrs()) {
                book.seen(rec.address().host(), rec.address().port(), rec.address().services(), Math.min(now(), rec.timestamp()));
                if (random.nextDouble() < 0.8) {
                    randomPeer().ifPresent(p -> p.send(new Message.Addrs(List.of(rec))));
                }
            }
        } else if (m instanceof Message.GetAddrs g) {
            List<Message.AddrRecord> out = new ArrayList<>();
            for (Map.Entry<AddressBook.Key, AddressBook.Entry> e : book.good((int) Math.min(g.count(), 100), now(), random)) {
                try {
                    out.add(new Message.AddrRecord(e.getValue().lastSeen(), new NetAddress(e.getValue().services(),
                            NetAddress.canonical(e.getKey().host()), e.getKey().port())));
                } catch (RuntimeException hostName) {
                    // bootstrap names are not IPs: not shared
                }
            }
            peer.send(new Message.Addrs(out));
        } else if (m instanceof Message.BestBlock b) {
            if (!b.header().meetsOwnTarget()) {
                peer.end(Peer.Verdict.BAN, "received block header fails PoW test");
            }
            // A valid header is only a hint; our own bitcoind's P2P link tells us of new blocks.
        }
        // ping, have_tx, losing_tx, forget_tx, remember_tx: accepted, nothing to do on a v34+ chain
    }

    private void addrMe(Peer peer, int port) {
        if (NetAddress.isLoopback(peer.ip())) {
            if (random.nextDouble() < 0.8) {
                randomPeer().ifPresent(p -> p.send(new Message.AddrMe(port)));
            }
            return;
        }
        long services = peer.version() == null ? 0 : peer.version().services();
        book.seen(peer.ip(), port, services, now());
        if (random.nextDouble() < 0.8) {
            NetAddress a = new NetAddress(services, NetAddress.canonical(peer.ip()), port);
            randomPeer().ifPresent(p -> p.send(new Message.Addrs(List.of(new Message.AddrRecord(now(), a)))));
        }
    }

    private java.util.Optional<Peer> randomPeer() {
        List<Peer> list = new ArrayList<>();
        for (Peer p : connections.keySet()) {
            if (p.established()) {
                list.add(p);
            }
        }
        return list.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(list.get(random.nextInt(list.size())));
    }

    /**
     * Parses shares from a peer (3.4): obsolete types skipped; the first bad one ends the message and the connection.
     * Shares new to the chain may leave parents to fetch: the download is asked at once, from the desired set the
     * node computed with them (12.5 waits for a non-empty desired set, it does not poll).
     */
    private void receiveShares(Peer peer, List<Message.RawShare> raw) {
        List<Share> ok = new ArrayList<>();
        for (Message.RawShare r : raw) {
            if (r.type() >= 0 && r.type() < 17) {
                continue;
            }
            try {
                ok.add(Share.load(net, r.type(), r.contents()));
            } catch (ShareException e) {
                count("bad_share:" + e.rejection().code());
                peer.end(e.rejection().action() == Rejection.Action.BAN ? Peer.Verdict.BAN : Peer.Verdict.DISCONNECT,
                        "sent a bad share: " + e.getMessage());
                break;
            }
        }
        peer.sharesReceived += ok.size();
        if (!ok.isEmpty()) {
            node.addShares(ok, peer).onSuccess(added -> {
                if (added > 0) {
                    download();
                }
            });
        }
    }

    /** Answers a share request within the spec's limits (3.5); the node walks its chain, the reply is sent from here. */
    private void answer(Peer peer, Message.ShareReq q) {
        if (q.hashes().isEmpty()) {
            peer.end(Peer.Verdict.DISCONNECT, "sharereq without hashes");
            return;
        }
        long parents = Math.min(q.parents(), 1000 / q.hashes().size());
        node.walk(q.hashes(), parents, new HashSet<>(q.stops())).onSuccess(shares -> {
            List<Message.RawShare> out = new ArrayList<>();
            long size = 0;
            for (Share s : shares) {
                byte[] c = s.rawContents();
                size += c.length + 10;
                out.add(new Message.RawShare(s.version(), c));
            }
            if (size > MessageCodec.MAX_PAYLOAD - 64) {
                peer.send(new Message.ShareReply(q.id(), Message.ShareReply.TOO_LONG, List.of()));
                return;
            }
            peer.sharesSent += out.size();
            peer.send(new Message.ShareReply(q.id(), Message.ShareReply.GOOD, out));
        });
    }

    // ---- relay and download --------------------------------------------------------------

    /** On a new best share: up to 5 newest unshared shares, one message to every peer, none back to its sender (3.6). */
    void relay() {
        node.newest(RELAY_MAX).onSuccess(newest -> {
            List<ShareChain.Sourced> fresh = new ArrayList<>();
            for (ShareChain.Sourced s : newest) {
                if (shared.contains(s.share().hash())) {
                    break;
                }
                fresh.add(s);
            }
            for (ShareChain.Sourced s : fresh) {
                shared.add(s.share().hash());
            }
            trimShared();
            if (fresh.isEmpty()) {
                return;
            }
            for (Peer p : connections.keySet()) {
                if (!p.established()) {
                    continue;
                }
                List<Message.RawShare> list = new ArrayList<>();
                for (ShareChain.Sourced s : fresh) {
                    if (s.source() != p) {
                        list.add(new Message.RawShare(s.share().version(), s.share().rawContents()));
                    }
                }
                p.sharesSent += list.size();
                p.send(new Message.Shares(list));
            }
        });
    }

    private void trimShared() {
        var it = shared.iterator();
        while (shared.size() > SHARED_MEMORY && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /**
     * One outstanding chain-download request at a time (12.5). New shares (a reply, a relay, an
     * announced best) ask again at once; otherwise the next try is the 1-s tick, so a request nobody
     * can answer is not repeated in a loop. Waiting a tick after every reply made a node back from a
     * partition take a second per batch of the other side's shares, and per random pick of a peer
     * that lacks them.
     */
    private void download() {
        if (downloading) {
            return;
        }
        List<Tracker.Desired> desired = node.desired();
        List<Peer> peers = new ArrayList<>();
        for (Peer p : connections.keySet()) {
            if (p.established()) {
                peers.add(p);
            }
        }
        if (desired.isEmpty() || peers.isEmpty()) {
            return;
        }
        Tracker.Desired want = desired.get(random.nextInt(desired.size()));
        Peer peer = peers.get(random.nextInt(peers.size()));
        downloading = true;
        node.contains(want.hash()).compose(known -> known ? Future.succeededFuture((List<Sha256Hash>) null) : node.downloadStops())
                .onComplete(stopsAr -> {
                    if (stopsAr.failed() || stopsAr.result() == null || !peer.established()) {
                        downloading = false;
                        return;
                    }
                    List<Sha256Hash> stops = stopsAr.result();
                    peer.request(List.of(want.hash()), random.nextInt(500), stops.subList(0, Math.min(100, stops.size())))
                            .onComplete(ar -> {
                                downloading = false;
                                if (ar.failed() || ar.result().result() != Message.ShareReply.GOOD) {
                                    offence(peer.ip(), BanList.BASE_FAILED_REQUEST, "chain download request failed");
                                    return;
                                }
                                receiveShares(peer, ar.result().shares());
                            });
                });
    }

    // ---- gossip --------------------------------------------------------------------------

    private void advertise() {
        for (Peer p : connections.keySet()) {
            if (p.established() && random.nextDouble() < 1.0 / Math.max(1, connections.size())) {
                p.send(new Message.AddrMe(boundPort));
            }
        }
    }

    private void askAddresses() {
        if (book.size() < 1000) {
            randomPeer().ifPresent(p -> p.send(new Message.GetAddrs(8)));
        }
    }

    /** Adds stored addresses to the address book (before deployment, or on this verticle's context). */
    public void loadAddresses(Collection<Map.Entry<AddressBook.Key, AddressBook.Entry>> entries) {
        for (Map.Entry<AddressBook.Key, AddressBook.Entry> e : entries) {
            book.seen(e.getKey().host(), e.getKey().port(), e.getValue().services(), e.getValue().firstSeen());
            book.seen(e.getKey().host(), e.getKey().port(), e.getValue().services(), e.getValue().lastSeen());
        }
    }
}
