package p2pool4j.bitcoind;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.bitcoin.Block;
import p2pool4j.bitcoin.BlockHeader;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.FrameCodec;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.net.FrameReader;

/**
 * A Bitcoin P2P connection to our own bitcoind. It learns of new blocks within milliseconds
 * (sendheaders, so bitcoind pushes {@code headers}; {@code inv} is handled too) and relays blocks
 * we find. A found block is announced with {@code headers} and {@code inv} and served on
 * {@code getdata}, because some nodes (bcoin) drop a peer that sends a block they did not ask
 * for. Reconnects with backoff forever. Runs on the context that called {@link #start()}.
 */
public final class BitcoinP2pLink {
    private static final Logger LOG = LoggerFactory.getLogger(BitcoinP2pLink.class);
    public static final int MAX_PAYLOAD = 32_000_000;
    private static final long HANDSHAKE_TIMEOUT_MS = 10_000;
    private static final long PING_MS = 30_000;
    private static final long IDLE_TIMEOUT_MS = 120_000;
    /** bitcoind is a local daemon: after it restarts, mining resumes within this long. */
    private static final long MAX_BACKOFF_MS = 4_000;
    private static final int OFFERED_BLOCKS = 8;

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final FrameCodec codec;
    private final BitcoindMonitor monitor;
    private final Consumer<Sha256Hash> onTip;
    private final NetClient client;
    private final ProblemLog problems = new ProblemLog(LOG);
    private final long nonce = ThreadLocalRandom.current().nextLong();
    /** Blocks we announced, served when bitcoind asks for them; bounded. */
    private final Map<Sha256Hash, Block> offered = p2pool4j.util.Lru.map(OFFERED_BLOCKS, false);

    private boolean running;
    private NetSocket socket;
    private boolean established;
    private long lastReceived;
    private long backoffMs = 500;
    private long timer = -1;
    private long pingTimer = -1;
    private long framesReceived;
    private long badFrames;

    /** @param onTip a new tip (its hash), or null when the link comes (back) up and the tip is unknown */
    public BitcoinP2pLink(Vertx vertx, ChainParams chain, String host, int port, BitcoindMonitor monitor, Consumer<Sha256Hash> onTip) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.codec = new FrameCodec(chain.p2pMagic(), MAX_PAYLOAD);
        this.monitor = monitor;
        this.onTip = onTip;
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000).setTcpNoDelay(true));
    }

    public void start() {
        running = true;
        connect();
    }

    public Future<Void> stop() {
        running = false;
        cancelTimers();
        if (socket != null) {
            socket.close();
        }
        return client.close();
    }

    public boolean connected() {
        return established;
    }

    public long badFrames() {
        return badFrames;
    }

    /**
     * Announces a block we found. bitcoind fetches it with getdata; submitblock over RPC is the
     * other path and should always be used too.
     */
    public void announceBlock(Block block) {
        Sha256Hash hash = block.hash();
        offered.put(hash, block);
        if (established) {
            send("headers", P2pMessages.headers(List.of(block.header())));
            send("inv", P2pMessages.inv(List.of(new P2pMessages.Inv(P2pMessages.MSG_BLOCK, hash))));
        }
    }

    private void connect() {
        if (!running) {
            return;
        }
        client.connect(port, host).onComplete(ar -> {
            if (ar.failed()) {
                problems.problem("bitcoind P2P at " + host + ":" + port + " unreachable: " + ar.cause().getMessage() + " (retrying)");
                scheduleReconnect();
                return;
            }
            if (!running) {
                ar.result().close();
                return;
            }
            attach(ar.result());
        });
    }

    private void attach(NetSocket s) {
        socket = s;
        established = false;
        lastReceived = System.currentTimeMillis();
        FrameReader reader = new FrameReader(codec, f -> onFrame(s, f), err -> {
            badFrames++;
            problems.problem("bitcoind P2P sent a bad frame (" + err.problem() + "): " + err.getMessage() + "; reconnecting");
            s.close();
        });
        s.handler(buf -> {
            lastReceived = System.currentTimeMillis();
            reader.handle(buf);
        });
        s.closeHandler(v -> onClosed(s));
        s.exceptionHandler(e -> LOG.debug("bitcoind P2P socket error: {}", e.getMessage()));
        send("version", P2pMessages.version(System.currentTimeMillis() / 1000, nonce, "/p2pool4j:0.1/"));
        timer = vertx.setTimer(HANDSHAKE_TIMEOUT_MS, id -> {
            timer = -1;
            if (!established && socket == s) {
                problems.problem("bitcoind P2P handshake timed out; reconnecting");
                s.close();
            }
        });
    }

    private void onClosed(NetSocket s) {
        if (socket != s) {
            return;
        }
        socket = null;
        boolean was = established;
        established = false;
        cancelTimers();
        monitor.update(st -> st.withP2p(false));
        if (was) {
            problems.problem("bitcoind P2P connection to " + host + ":" + port + " closed (reconnecting)");
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (!running || timer >= 0) {
            return;
        }
        timer = vertx.setTimer(backoffMs, id -> {
            timer = -1;
            connect();
        });
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }

    private void cancelTimers() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        if (pingTimer >= 0) {
            vertx.cancelTimer(pingTimer);
            pingTimer = -1;
        }
    }

    private void send(String command, byte[] payload) {
        NetSocket s = socket;
        if (s != null) {
            s.write(Buffer.buffer(codec.encode(command, payload)));
        }
    }

    private void onFrame(NetSocket s, FrameReader.Frame f) {
        if (socket != s) {
            return;
        }
        framesReceived++;
        try {
            switch (f.command()) {
                case "version" -> {
                    P2pMessages.Version v = P2pMessages.parseVersion(f.payload());
                    LOG.debug("bitcoind P2P version {} {} height {}", v.protocol(), v.userAgent(), v.startHeight());
                    send("verack", new byte[0]);
                }
                case "verack" -> onEstablished(s);
                case "ping" -> send("pong", f.payload().length == 8 ? f.payload() : P2pMessages.nonce(0));
                case "inv" -> {
                    for (P2pMessages.Inv inv : P2pMessages.parseInv(f.payload())) {
                        if ((inv.type() & 0xffffff) == P2pMessages.MSG_BLOCK) {
                            onTip.accept(inv.hash());
                        }
                    }
                }
                case "headers" -> {
                    List<BlockHeader> hs = P2pMessages.parseHeaders(f.payload());
                    if (!hs.isEmpty()) {
                        Sha256Hash tip = hs.get(hs.size() - 1).hash();
                        if (!offered.containsKey(tip)) {
                            onTip.accept(tip);
                        }
                    }
                }
                case "getdata" -> {
                    for (P2pMessages.Inv inv : P2pMessages.parseInv(f.payload())) {
                        Block block = (inv.type() & 0xffffff) == P2pMessages.MSG_BLOCK ? offered.get(inv.hash()) : null;
                        if (block != null) {
                            // MSG_WITNESS_BLOCK asks for the BIP144 form, plain MSG_BLOCK for the stripped one.
                            send("block", block.serialize(inv.type() == P2pMessages.MSG_WITNESS_BLOCK));
                            LOG.info("sent block {} to bitcoind over P2P", inv.hash());
                        }
                    }
                }
                default -> {
                    // pong, sendcmpct, feefilter, addr, getheaders...: nothing we need
                }
            }
        } catch (ParseException e) {
            badFrames++;
            problems.problem("bitcoind P2P sent a malformed " + f.command() + ": " + e.getMessage() + "; reconnecting");
            s.close();
        }
    }

    private void onEstablished(NetSocket s) {
        if (established) {
            return;
        }
        established = true;
        backoffMs = 500;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        send("sendheaders", new byte[0]);
        monitor.update(st -> st.withP2p(true));
        problems.recovered("bitcoind P2P connected to " + host + ":" + port);
        LOG.info("bitcoind P2P link up to {}:{}", host, port);
        onTip.accept(null); // blocks may have come while the link was down (a restarted bitcoind): ask for a template now
        pingTimer = vertx.setPeriodic(PING_MS, id -> {
            if (System.currentTimeMillis() - lastReceived > IDLE_TIMEOUT_MS) {
                problems.problem("bitcoind P2P silent for " + IDLE_TIMEOUT_MS / 1000 + " s; reconnecting");
                s.close();
                return;
            }
            send("ping", P2pMessages.nonce(ThreadLocalRandom.current().nextLong()));
        });
        // Re-announce blocks found while we were disconnected.
        for (Block b : offered.values()) {
            send("headers", P2pMessages.headers(List.of(b.header())));
            send("inv", P2pMessages.inv(List.of(new P2pMessages.Inv(P2pMessages.MSG_BLOCK, b.hash()))));
        }
    }

    public long framesReceived() {
        return framesReceived;
    }
}
