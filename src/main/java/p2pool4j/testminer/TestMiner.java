package p2pool4j.testminer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Targets;

/**
 * The built-in CPU miner, for tests and demos: speaks Stratum v1 (with optional BIP310 version
 * rolling) or getwork with long polling, hashes sha256d on N threads and counts what the pool says.
 * It uses plain blocking sockets on its own threads: it is a client, not part of the node.
 */
public final class TestMiner implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A unit of work: the 80-byte header template (nonce at 76..79) and the target to submit under. */
    private record Work(String jobId, byte[] header, BigInteger target, byte[] extranonce2, long ntime, long version, String data) {}

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong hashes = new AtomicLong();
    private final AtomicLong blocksSeen = new AtomicLong();
    private final AtomicReference<Work> work = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private volatile boolean hashing = true;
    private final AtomicLong submitted = new AtomicLong();
    private volatile long cleanJobs;
    private final String user;
    private final int threadCount;

    // Stratum state
    private Socket socket;
    private OutputStream out;
    private byte[] extranonce1 = new byte[0];
    private int extranonce2Size = 4;
    private volatile double difficulty = 1;
    private long versionMask;
    private final AtomicLong nextId = new AtomicLong(10);
    private final AtomicLong en2Counter = new AtomicLong();

    // getwork state
    private HttpClient http;
    private URI url;

    private TestMiner(String user, int threads) {
        this.user = user;
        this.threadCount = Math.max(1, threads);
    }

    public long accepted() {
        return accepted.get();
    }

    public long rejected() {
        return rejected.get();
    }

    public long hashes() {
        return hashes.get();
    }

    /** Submissions sent (each is answered accepted or rejected). */
    public long submitted() {
        return submitted.get();
    }

    /**
     * Stops hashing and waits until every submission sent has its answer, so the counts are
     * final (what a pool's statistics should then show). False if answers are still missing
     * after {@code timeoutMs}.
     */
    public boolean drain(long timeoutMs) {
        hashing = false;
        sleep(100); // a hashing thread may be between finding a share and sending it
        long end = System.currentTimeMillis() + timeoutMs;
        while (accepted.get() + rejected.get() < submitted.get()) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            sleep(20);
        }
        return true;
    }

    /** clean_jobs notifications received (Stratum) or long polls answered (getwork). */
    public long cleanJobs() {
        return cleanJobs;
    }

    public String lastError() {
        return lastError.get();
    }

    public double difficulty() {
        return difficulty;
    }

    // ---- Stratum ----------------------------------------------------------------------------

    public static TestMiner stratum(String host, int port, String user, int threads, boolean versionRolling) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 5_000);
        return stratum(s, user, threads, versionRolling);
    }

    /**
     * Stratum over TLS. With {@code pinnedSha256} (the certificate's SHA-256, colon-separated hex as
     * the node logs it) any other certificate is refused during the handshake; without it any
     * certificate is taken (a self-signed node certificate cannot be checked otherwise) and its
     * fingerprint is in {@link #serverFingerprint()}.
     */
    public static TestMiner stratumTls(String host, int port, String user, int threads, boolean versionRolling, String pinnedSha256)
            throws Exception {
        String[] seen = new String[1];
        javax.net.ssl.X509TrustManager pin = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String auth) {
                throw new UnsupportedOperationException("a miner is a client");
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String auth)
                    throws java.security.cert.CertificateException {
                String got = p2pool4j.util.Fingerprint.sha256(chain[0].getEncoded());
                seen[0] = got;
                if (pinnedSha256 != null && !got.equalsIgnoreCase(pinnedSha256.strip())) {
                    throw new java.security.cert.CertificateException("the pool's certificate " + got + " is not the pinned " + pinnedSha256);
                }
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {pin}, null);
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host, port), 5_000);
        javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
        s.setSoTimeout(30_000);
        try {
            s.startHandshake(); // a wrong pin fails here, before any share is sent
        } catch (java.io.IOException e) {
            s.close();
            throw e;
        }
        s.setSoTimeout(0);
        TestMiner m = stratum(s, user, threads, versionRolling);
        m.serverFingerprint = seen[0];
        return m;
    }

    private volatile String serverFingerprint;

    /** The TLS certificate fingerprint the pool presented (null on plain TCP). */
    public String serverFingerprint() {
        return serverFingerprint;
    }

    private static TestMiner stratum(Socket connected, String user, int threads, boolean versionRolling) throws Exception {
        TestMiner m = new TestMiner(user, threads);
        m.socket = connected;
        m.out = m.socket.getOutputStream();
        Thread reader = new Thread(m::readStratum, "testminer-stratum");
        reader.setDaemon(true);
        reader.start();
        m.threads.add(reader);
        if (versionRolling) {
            m.sendLine("{\"id\":1,\"method\":\"mining.configure\",\"params\":[[\"version-rolling\"],{\"version-rolling.mask\":\"ffffffff\"}]}");
        }
        m.sendLine("{\"id\":2,\"method\":\"mining.subscribe\",\"params\":[\"p2pool4j-testminer/0.1\"]}");
        m.sendLine("{\"id\":3,\"method\":\"mining.authorize\",\"params\":[" + JSON.writeValueAsString(user) + ",\"x\"]}");
        m.startHashing(true);
        return m;
    }

    private synchronized void sendLine(String s) throws java.io.IOException {
        out.write((s + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void readStratum() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (running && (line = r.readLine()) != null) {
                JsonNode msg = JSON.readTree(line);
                String method = msg.path("method").asText("");
                JsonNode params = msg.path("params");
                switch (method) {
                    case "mining.set_difficulty" -> difficulty = params.get(0).asDouble();
                    case "mining.notify" -> onNotify(params);
                    case "" -> onReply(msg);
                    default -> { }
                }
            }
        } catch (Exception e) {
            if (running) {
                lastError.set(e.toString());
            }
        }
    }

    private void onReply(JsonNode msg) {
        long id = msg.path("id").asLong(-1);
        if (id == 1 && msg.path("result").has("version-rolling.mask")) {
            versionMask = Long.parseLong(msg.path("result").path("version-rolling.mask").asText(), 16);
        } else if (id == 2) {
            extranonce1 = Hex.decode(msg.path("result").get(1).asText());
            extranonce2Size = msg.path("result").get(2).asInt();
        } else if (id >= 10) {
            if (msg.path("result").asBoolean(false)) {
                accepted.incrementAndGet();
            } else {
                rejected.incrementAndGet();
                lastError.set(String.valueOf(msg.path("error")));
            }
        }
    }

    private void onNotify(JsonNode p) {
        String jobId = p.get(0).asText();
        byte[] prev = p2pool4j.bitcoin.WordSwap.swap4(Hex.decode(p.get(1).asText()));
        byte[] coinb1 = Hex.decode(p.get(2).asText());
        byte[] coinb2 = Hex.decode(p.get(3).asText());
        long version = Long.parseLong(p.get(5).asText(), 16);
        long bits = Long.parseLong(p.get(6).asText(), 16);
        long ntime = Long.parseLong(p.get(7).asText(), 16);
        if (p.get(8).asBoolean()) {
            cleanJobs++;
        }
        byte[] en2 = new byte[extranonce2Size];
        long c = en2Counter.incrementAndGet();
        for (int i = 0; i < en2.length && i < 8; i++) {
            en2[en2.length - 1 - i] = (byte) (c >>> (8 * i));
        }
        byte[] coinbase = concat(concat(coinb1, extranonce1), concat(en2, coinb2));
        byte[] root = Hashes.sha256d(coinbase);
        for (JsonNode b : p.get(4)) {
            root = Hashes.sha256d(concat(root, Hex.decode(b.asText())));
        }
        byte[] header = new byte[80];
        le32(header, 0, version);
        System.arraycopy(prev, 0, header, 4, 32);
        System.arraycopy(root, 0, header, 36, 32);
        le32(header, 68, ntime);
        le32(header, 72, bits);
        work.set(new Work(jobId, header, Targets.fromBdiff(difficulty), en2, ntime, version, null));
    }

    // ---- getwork ----------------------------------------------------------------------------

    public static TestMiner getwork(String url, String user, int threads) throws Exception {
        TestMiner m = new TestMiner(user, threads);
        m.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        m.url = URI.create(url.endsWith("/") ? url : url + "/");
        m.fetchWork("");
        Thread lp = new Thread(m::longPoll, "testminer-longpoll");
        lp.setDaemon(true);
        lp.start();
        m.threads.add(lp);
        m.startHashing(false);
        return m;
    }

    private JsonNode rpc(String path, String params, Duration timeout) throws Exception {
        String auth = Base64.getEncoder().encodeToString((user + ":x").getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(url.resolve(path)).timeout(timeout).header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"getwork\",\"params\":" + params + ",\"id\":1}")).build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(resp.body());
    }

    private void fetchWork(String path) throws Exception {
        JsonNode reply = rpc(path, "[]", Duration.ofMinutes(30));
        if (!reply.path("error").isNull()) {
            lastError.set(reply.path("error").toString());
            return;
        }
        JsonNode r = reply.get("result");
        String data = r.get("data").asText();
        byte[] header = p2pool4j.bitcoin.WordSwap.swap4(java.util.Arrays.copyOf(Hex.decode(data), 80));
        BigInteger target = new BigInteger(1, reverse(Hex.decode(r.get("target").asText())));
        work.set(new Work(null, header, target, null, 0, 0, data));
    }

    private void longPoll() {
        while (running) {
            try {
                fetchWork("long-polling");
                cleanJobs++;
            } catch (Exception e) {
                if (running) {
                    lastError.set(e.toString());
                    sleep(1000);
                }
            }
        }
    }

    // ---- hashing ----------------------------------------------------------------------------

    private void startHashing(boolean stratum) {
        for (int t = 0; t < threadCount; t++) {
            final int index = t;
            Thread th = new Thread(() -> hash(index, stratum), "testminer-" + t);
            th.setDaemon(true);
            th.start();
            threads.add(th);
        }
    }

    private void hash(int index, boolean stratum) {
        long lastRefresh = System.currentTimeMillis();
        while (running) {
            Work w = work.get();
            if (w == null || !hashing) {
                sleep(20);
                continue;
            }
            byte[] header = w.header().clone();
            for (long nonce = index; nonce <= 0xffffffffL && running && hashing && work.get() == w; nonce += threadCount) {
                le32(header, 76, nonce);
                byte[] h = Hashes.sha256d(header);
                if ((nonce & 0xfff) == index) {
                    hashes.addAndGet(4096);
                }
                if (h[31] == 0 || h[30] == 0 || w.target().bitLength() > 240) {
                    BigInteger v = new BigInteger(1, reverse(h));
                    if (v.compareTo(w.target()) <= 0 && (!stratum || roomToSubmit(w))) {
                        submit(w, nonce, header);
                    }
                }
                if (!stratum && System.currentTimeMillis() - lastRefresh > 5_000) {
                    lastRefresh = System.currentTimeMillis();
                    try {
                        fetchWork("");
                    } catch (Exception e) {
                        lastError.set(e.toString());
                    }
                }
            }
        }
    }

    /** Stratum submits sent and not yet answered, at most: a rig that outruns its own reader would read new jobs late, all stale. */
    static final int MAX_IN_FLIGHT = 64;

    /**
     * Waits (yielding the CPU to the reader) while {@value #MAX_IN_FLIGHT} submits are unanswered;
     * false if the work changed meanwhile: the share would be stale, so it is not sent.
     */
    private boolean roomToSubmit(Work w) {
        while (running && submitted.get() - accepted.get() - rejected.get() >= MAX_IN_FLIGHT) {
            if (work.get() != w) {
                return false;
            }
            sleep(1);
        }
        return running && work.get() == w;
    }

    private void submit(Work w, long nonce, byte[] header) {
        submitted.incrementAndGet();
        try {
            if (w.jobId() != null) {
                String params = "[" + JSON.writeValueAsString(user) + ",\"" + w.jobId() + "\",\"" + Hex.encode(w.extranonce2()) + "\",\""
                        + String.format("%08x", w.ntime()) + "\",\"" + String.format("%08x", nonce) + "\""
                        + (versionMask != 0 ? ",\"00000000\"" : "") + "]";
                sendLine("{\"id\":" + nextId.incrementAndGet() + ",\"method\":\"mining.submit\",\"params\":" + params + "}");
            } else {
                String data = Hex.encode(p2pool4j.bitcoin.WordSwap.swap4(header)) + w.data().substring(160);
                JsonNode reply = rpc("", "[\"" + data + "\"]", Duration.ofSeconds(30));
                if (reply.path("result").asBoolean(false)) {
                    accepted.incrementAndGet();
                } else {
                    rejected.incrementAndGet();
                }
            }
        } catch (Exception e) {
            submitted.decrementAndGet(); // never reached the pool, or its answer never will
            lastError.set(e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (java.io.IOException ignored) {
            // closing anyway
        }
        for (Thread t : threads) {
            t.interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void le32(byte[] b, int off, long v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }


    static byte[] reverse(byte[] b) {
        return Hex.reverse(b);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** {@code p2pool4j testminer (--stratum HOST:PORT | --getwork URL) [--threads N] [--user NAME] [--version-rolling] [--seconds S]} */
    static final String USAGE = "usage: p2pool4j testminer (--stratum HOST:PORT | --getwork URL) [--tls [--tls-fingerprint SHA256]]"
            + " [--threads N] [--user NAME] [--version-rolling] [--seconds S]";

    public static int main(String[] args, java.io.PrintStream o, java.io.PrintStream err) throws Exception {
        String stratum = null;
        String getwork = null;
        String user = "";
        int threads = 1;
        boolean rolling = false;
        long seconds = 0;
        boolean tls = false;
        String fingerprint = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tls" -> tls = true;
                case "--tls-fingerprint" -> fingerprint = args[++i];
                case "--stratum" -> stratum = args[++i];
                case "--getwork" -> getwork = args[++i];
                case "--user" -> user = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--version-rolling" -> rolling = true;
                case "--seconds" -> seconds = Long.parseLong(args[++i]);
                case "-h", "--help" -> {
                    o.println(USAGE);
                    return 0;
                }
                default -> {
                    err.println(USAGE);
                    return 2;
                }
            }
        }
        if (tls && stratum == null) {
            err.println("p2pool4j testminer: --tls works with --stratum");
            return 2;
        }
        if ((stratum == null) == (getwork == null)) {
            err.println("p2pool4j testminer: give exactly one of --stratum HOST:PORT and --getwork URL");
            return 2;
        }
        TestMiner m;
        if (stratum != null) {
            int colon = stratum.lastIndexOf(':');
            String host = stratum.substring(0, colon);
            int port = Integer.parseInt(stratum.substring(colon + 1));
            if (tls) {
                try {
                    m = stratumTls(host, port, user, threads, rolling, fingerprint);
                } catch (java.io.IOException e) {
                    err.println("p2pool4j testminer: TLS connection refused: " + e.getMessage());
                    return 1;
                }
                o.println("testminer: TLS, pool certificate SHA-256 " + m.serverFingerprint());
            } else {
                m = stratum(host, port, user, threads, rolling);
            }
        } else {
            m = getwork(getwork, user, threads);
        }
        long start = System.currentTimeMillis();
        long lastHashes = 0;
        while (seconds == 0 || System.currentTimeMillis() - start < seconds * 1000) {
            Thread.sleep(10_000);
            long h = m.hashes();
            o.printf("testminer: %.2f MH/s, accepted %d, rejected %d, difficulty %s%s%n", (h - lastHashes) / 10e6, m.accepted(),
                    m.rejected(), m.difficulty(), m.lastError() == null ? "" : ", last error " + m.lastError());
            lastHashes = h;
        }
        m.close();
        return 0;
    }
}
