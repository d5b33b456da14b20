package p2pool4j.stratum;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.math.BigInteger;
import p2pool4j.util.LongSet;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Targets;
import p2pool4j.work.Job;
import p2pool4j.work.NotReadyException;
import p2pool4j.work.SubmitCheck;
import p2pool4j.work.SubmitResult;
import p2pool4j.work.Username;
import p2pool4j.work.Vardiff;
import p2pool4j.work.VersionRolling;

/**
 * One Stratum v1 connection (miner spec 3): configure (version rolling), subscribe, authorize,
 * suggest_difficulty/suggest_target, extranonce.subscribe, and submit, checked in the spec's order.
 * Lines are capped at 16 KiB; invalid JSON closes the session. Runs on its connection's event loop;
 * jobs come from the node through futures.
 */
final class StratumSession {
    static final int MAX_LINE = 16 * 1024;
    /** Bytes queued for a client before it stops being read (then at most {@link #MAX_WRITES_WHILE_FULL} more writes). */
    static final int WRITE_QUEUE_BYTES = 16 * 1024;
    /** Jobs kept per session (miner spec 3.13: at least the last ~10); older job ids answer 21 "Job not found". */
    static final int JOB_HISTORY = 16;
    static final int EXTRANONCE2_SIZE = 4;

    /**
     * Submissions remembered per session for duplicate detection, over all its jobs. An honest rig
     * sends a few per job (vardiff aims at one per 10 s); when a session reaches this, its oldest
     * jobs are forgotten, and a job that alone holds this many is retired (a new job is sent).
     */
    static final int MAX_SEEN_PER_SESSION = 1024;
    /** Key arrays a session can hold: the remembered submits' sets, plus the small array each reused job slot keeps. */
    static final long MAX_KEY_ARRAY_BYTES = 2 * LongSet.maxBytes(MAX_SEEN_PER_SESSION) + JOB_HISTORY * LongSet.KEPT_BYTES;

    /**
     * A job as sent to this session, with the easiest difficulty it was sent at, and the submits
     * seen for it. The session's {@value #JOB_HISTORY} slots are made once and reused in place: a
     * job outlives many young collections, so a fresh object per session per job was promoted and
     * then became old-generation garbage, thousands per block at thousands of sessions: most of
     * what filled the old generation under load.
     */
    private static final class SentJob {
        String id;
        Job job;
        double shareDifficulty;
        double difficulty;
        /** When it was sent last, in the session's own count of jobs sent (higher is newer). */
        long order;
        final LongSet seen = new LongSet(MAX_SEEN_PER_SESSION);
    }

    private final WorkerPortVerticle server;
    private final NetSocket socket;
    private final String ip;
    private final byte[] extranonce1;
    /** The last {@value #JOB_HISTORY} jobs sent, in no order (a slot is null until first used). */
    private final SentJob[] jobs = new SentJob[JOB_HISTORY];
    private long jobsSent;
    private int seenTotal;
    private boolean subscribed;
    private Username user;
    private String userAgent = "";
    private long versionMask;
    private Vardiff vardiff;
    private Double suggested;
    private double sentDifficulty = Double.NaN;
    private long lastNotify;
    private boolean closed;

    StratumSession(WorkerPortVerticle server, NetSocket socket, String ip, byte[] extranonce1) {
        this.server = server;
        this.socket = socket;
        this.ip = ip;
        this.extranonce1 = extranonce1;
    }

    void start(Buffer first) {
        LineReader lines = new LineReader(MAX_LINE, this::line);
        socket.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        socket.handler(buf -> received(lines, buf));
        socket.exceptionHandler(e -> close(e.getMessage()));
        received(lines, first);
    }

    /** A line begun must be finished within this long (slowloris: one byte every few seconds never ends a line). */
    static final long LINE_TIMEOUT_MS = 30_000;
    /** A session must be subscribed and authorized within this long of connecting. */
    static final long AUTHORIZE_TIMEOUT_MS = 60_000;
    private final long openedAt = now();
    private long accepted;
    private long rejected;
    private long lastSubmit;

    /** What the worker page lists for this session; on its loop. */
    SessionInfo info(boolean tls) {
        return new SessionInfo(ip, userAgent, openedAt, Double.isNaN(sentDifficulty) ? 0 : sentDifficulty, lastSubmit, accepted, rejected, tls);
    }
    private long bytesIn;
    private long bytesInLines;
    private long partialSince;

    /** Feeds the line reader and notes since when an unfinished line has been waiting. */
    private void received(LineReader lines, Buffer buf) {
        bytesIn += buf.length();
        long before = bytesInLines;
        if (!lines.feed(buf)) {
            close("line longer than 16 KiB");
            return;
        }
        if (bytesInLines == bytesIn) {
            partialSince = 0;
        } else if (partialSince == 0 || bytesInLines != before) {
            partialSince = now(); // the unfinished line began in this buffer
        }
    }

    /** The socket closed (the worker port's close handler, which also frees the IP's slot). */
    void socketClosed() {
        closed = true;
    }

    String ip() {
        return ip;
    }

    Username user() {
        return user;
    }

    private void close(String why) {
        if (!closed) {
            closed = true;
            server.count("closed:" + why);
            socket.close();
        }
    }

    private void send(JsonObject o) {
        write(Buffer.buffer(o.encode() + "\n"));
    }

    /** Notifications queued while the client reads nothing; past it the session is closed (its queue must stay bounded). */
    static final int MAX_WRITES_WHILE_FULL = 32;
    private int writesWhileFull;

    /** A message we send unasked (a job, a difficulty): the only writes that can pile up while the client reads nothing. */
    private void push(Buffer line) {
        if (!closed && socket.writeQueueFull() && ++writesWhileFull > MAX_WRITES_WHILE_FULL) {
            close("client reads nothing");
            return;
        }
        write(line);
    }

    private void write(Buffer line) {
        if (!closed) {
            socket.write(line);
            if (socket.writeQueueFull()) {
                // Backpressure: a client that does not read its answers stops being read until it catches up.
                // The lines of the chunk already read are still answered: at most one read buffer's worth.
                socket.pause();
                socket.drainHandler(v -> {
                    writesWhileFull = 0;
                    socket.resume();
                });
            }
        }
    }

    private void reply(Object id, Object result) {
        if (result instanceof Boolean b) {
            write(StratumReplies.result(id, b));
        } else {
            send(new JsonObject().put("id", id).put("result", result).putNull("error"));
        }
    }

    private void error(Object id, int code, String message) {
        write(StratumReplies.error(id, code, message));
    }

    private void notification(String method, JsonArray params) {
        push(Buffer.buffer(new JsonObject().putNull("id").put("method", method).put("params", params).encode() + "\n"));
    }

    private void line(String raw, int bytes) {
        bytesInLines += bytes + 1;
        if (closed) {
            return;
        }
        long t0 = System.nanoTime();
        String text = raw.strip();
        if (text.isEmpty()) {
            return;
        }
        StratumRequest r;
        try {
            r = StratumRequest.parse(text);
        } catch (StratumRefusal e) {
            refused(e);
            return;
        }
        if (r == null) {
            return; // a reply to a request of ours
        }
        try {
            switch (r.method()) {
                case "mining.configure" -> configure(r);
                case "mining.subscribe" -> subscribe(r);
                case "mining.authorize" -> authorize(r);
                case "mining.submit" -> {
                    submit(r);
                    server.submitTook(System.nanoTime() - t0);
                }
                case "mining.suggest_difficulty" -> {
                    suggest(r.suggestedDifficulty());
                    reply(r.id(), true);
                }
                case "mining.suggest_target" -> {
                    suggest(r.suggestedTarget());
                    reply(r.id(), true);
                }
                case "mining.extranonce.subscribe" -> reply(r.id(), true); // our extranonce1 never changes
                case "mining.capabilities", "mining.multi_version" -> reply(r.id(), true);
                default -> error(r.id(), 20, "Method not supported");
            }
        } catch (StratumRefusal e) {
            refused(e);
        }
    }

    private void refused(StratumRefusal e) {
        server.count(e.counter());
        if (e.fatal()) {
            close(e.getMessage());
        } else {
            error(e.id(), e.code(), e.getMessage());
        }
    }

    private void configure(StratumRequest r) {
        StratumRequest.Configure c = r.configure();
        JsonObject result = new JsonObject();
        for (String ext : c.extensions()) {
            switch (ext) {
                case "version-rolling" -> {
                    versionMask = VersionRolling.negotiate(c.versionMask());
                    result.put("version-rolling", true).put("version-rolling.mask", String.format("%08x", versionMask));
                }
                case "minimum-difficulty" -> {
                    suggest(c.minimumDifficulty());
                    result.put("minimum-difficulty", true);
                }
                case "info" -> result.put("info", true);
                default -> result.put(ext, false);
            }
        }
        reply(r.id(), result);
    }

    private void subscribe(StratumRequest r) {
        Object id = r.id();
        if (r.userAgent() != null) {
            userAgent = r.userAgent();
        }
        subscribed = true;
        String sid = Hex.encode(extranonce1);
        reply(id, new JsonArray().add(new JsonArray().add(new JsonArray().add("mining.set_difficulty").add(sid))
                .add(new JsonArray().add("mining.notify").add(sid))).add(sid).add(EXTRANONCE2_SIZE));
        if (user != null) {
            sendJob(true);
        }
    }

    private void authorize(StratumRequest r) throws StratumRefusal {
        Object id = r.id();
        Username u = r.authorization();
        boolean first = user == null;
        if (first) {
            user = u;
            double start = u.pseudoDifficulty() != null ? u.pseudoDifficulty() : suggested != null ? suggested : server.settings().startDifficulty();
            vardiff = new Vardiff(start, server.settings().minDifficulty(), server.settings().maxDifficulty(), server.settings().targetSeconds(), now());
        }
        reply(id, true);
        if (first && subscribed) {
            sendJob(true);
        }
    }

    private void suggest(Double d) {
        if (d == null || !(d > 0)) {
            return;
        }
        suggested = d;
        if (vardiff != null && (user == null || user.pseudoDifficulty() == null)) {
            vardiff.set(d, now());
            if (subscribed) {
                sendJob(false);
            }
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** Sends set_difficulty (when changed) then a new job. */
    void sendJob(boolean clean) {
        if (closed || !subscribed || user == null) {
            return;
        }
        server.node().job(user).onComplete(ar -> {
            if (closed) {
                return;
            }
            if (ar.failed()) {
                if (ar.cause() instanceof NotReadyException nr) {
                    server.count("not_ready");
                    notification("client.show_message", new JsonArray().add("p2pool4j: no work yet: " + nr.getMessage()));
                } else {
                    server.count("job_error");
                }
                return;
            }
            EncodedJob e = server.encode(ar.result());
            double diff = effectiveDifficulty(e.shareDifficulty());
            if (diff != sentDifficulty) {
                notification("mining.set_difficulty", new JsonArray().add(diff >= 1 ? (Object) (long) diff : (Object) diff));
                sentDifficulty = diff;
            }
            remember(e, diff);
            push(e.line(clean));
            lastNotify = now();
        });
    }

    /** Keeps a sent job as the newest; a job sent again keeps its submits and the easiest difficulty it was sent at. */
    private void remember(EncodedJob e, double diff) {
        SentJob sent = sentJob(e.id());
        if (sent != null) {
            sent.difficulty = Math.min(sent.difficulty, diff);
        } else {
            sent = freeOrOldest();
            seenTotal -= sent.seen.size();
            sent.seen.clear();
            sent.id = e.id();
            sent.job = e.job();
            sent.shareDifficulty = e.shareDifficulty();
            sent.difficulty = diff;
        }
        sent.order = ++jobsSent;
    }

    private SentJob sentJob(String jobId) {
        for (SentJob j : jobs) {
            if (j != null && j.id.equals(jobId)) {
                return j;
            }
        }
        return null;
    }

    /** An unused slot (made now), else the one sent longest ago: that job is forgotten. */
    private SentJob freeOrOldest() {
        SentJob oldest = null;
        for (int i = 0; i < jobs.length; i++) {
            if (jobs[i] == null) {
                jobs[i] = new SentJob();
                return jobs[i];
            }
            if (oldest == null || jobs[i].order < oldest.order) {
                oldest = jobs[i];
            }
        }
        return oldest;
    }

    /** Records a submit's key; false for a duplicate. Keeps the session within {@value #MAX_SEEN_PER_SESSION} keys. */
    private boolean firstTime(String jobId, SentJob sent, long key) {
        LongSet.Added added = sent.seen.add(key);
        if (added == LongSet.Added.PRESENT) {
            return false;
        }
        if (added == LongSet.Added.FULL) {
            // One job carried every submit this session may remember: it starts a fresh set (and the miner a new job).
            seenTotal -= sent.seen.size();
            sent.seen.clear();
            sent.seen.add(key);
            seenTotal++;
            server.count("job_seen_reset");
            sendJob(false);
            return true; // the submit itself is new (it was not in the full set)
        }
        seenTotal++;
        forgetOldestSubmits(sent);
        return true;
    }

    /**
     * Over the session's bound, the oldest jobs forget their submits but stay jobs: a rig that
     * submits thousands a second (regtest, where nearly every hash counts) keeps finishing its
     * in-flight work on the previous job instead of being told "Job not found" for all of it.
     * Those forgotten submits could be sent again unnoticed; that can only inflate the rig's own
     * pseudo-share count, as the sharechain and block submission recognise a share by its hash.
     */
    private void forgetOldestSubmits(SentJob current) {
        while (seenTotal > MAX_SEEN_PER_SESSION) {
            SentJob oldest = null;
            for (SentJob j : jobs) {
                if (j != null && j != current && j.seen.size() > 0 && (oldest == null || j.order < oldest.order)) {
                    oldest = j;
                }
            }
            if (oldest == null) {
                return; // the current job alone: FULL retires it
            }
            seenTotal -= oldest.seen.size();
            oldest.seen.clear();
        }
    }

    /** Remembered submit keys and jobs, for the memory-bound test. */
    int rememberedSubmits() {
        return seenTotal;
    }

    int rememberedJobs() {
        int n = 0;
        for (SentJob j : jobs) {
            n += j == null ? 0 : 1;
        }
        return n;
    }

    long lastNotify() {
        return lastNotify;
    }

    /** The session difficulty, never harder than a real share (miner spec 4.3). */
    private double effectiveDifficulty(double shareDifficulty) {
        return Math.min(vardiff.difficulty(), shareDifficulty);
    }



    void tick() {
        if (closed) {
            return;
        }
        long now = now();
        if (partialSince != 0 && now - partialSince > LINE_TIMEOUT_MS) {
            close("line not finished within " + LINE_TIMEOUT_MS / 1000 + " s");
            return;
        }
        if ((!subscribed || user == null) && now - openedAt > AUTHORIZE_TIMEOUT_MS) {
            close("not subscribed and authorized within " + AUTHORIZE_TIMEOUT_MS / 1000 + " s");
            return;
        }
        if (vardiff == null) {
            return;
        }
        // A pinned difficulty (ADDRESS+N, d=N) never moves; the tick then only keeps jobs fresh.
        double changed = user.pseudoDifficulty() != null ? Double.NaN : vardiff.onTick(now());
        if (!Double.isNaN(changed) || now() - lastNotify > 30_000) {
            sendJob(false); // a job at least every 30 s, and after a difficulty change
        }
    }

    void reconnect() {
        notification("client.reconnect", new JsonArray());
    }

    private void submit(StratumRequest r) {
        Object id = r.id();
        if (!subscribed) {
            reject(id, SubmitResult.NOT_SUBSCRIBED);
            return;
        }
        if (user == null) {
            reject(id, SubmitResult.UNAUTHORIZED);
            return;
        }
        SubmitParams p;
        try {
            p = r.submit();
        } catch (StratumRefusal e) {
            reject(id, SubmitResult.MALFORMED);
            return;
        }
        String jobId = p.jobId();
        byte[] en2 = p.extranonce2();
        long ntime = p.ntime();
        long nonce = p.nonce();
        long versionBits = p.versionBits();
        SentJob sent = sentJob(jobId);
        if (sent == null) {
            reject(id, SubmitResult.UNKNOWN_JOB);
            return;
        }
        if (en2.length != EXTRANONCE2_SIZE) {
            reject(id, SubmitResult.BAD_EXTRANONCE);
            return;
        }
        Job job = sent.job;
        if (ntime < job.ntime() || ntime > job.ntime() + 7000) {
            reject(id, SubmitResult.BAD_NTIME);
            return;
        }
        long version = VersionRolling.apply(job.version(), versionBits, versionMask);
        if (version < 0) {
            reject(id, SubmitResult.BAD_VERSION);
            return;
        }
        long key = LongSet.key((toLong(en2) << 32) | nonce, (ntime << 32) | version);
        if (!firstTime(jobId, sent, key)) {
            reject(id, SubmitResult.DUPLICATE);
            return;
        }
        // A difficulty change never turns in-flight work into rejects: the easier of then and now.
        double diff = Math.min(sent.difficulty, effectiveDifficulty(sent.shareDifficulty));
        BigInteger target = target(diff);
        byte[] extranonce = new byte[8];
        System.arraycopy(extranonce1, 0, extranonce, 0, 4);
        System.arraycopy(en2, 0, extranonce, 4, 4);
        SubmitCheck.Outcome o = SubmitCheck.check(job, extranonce, version, ntime, nonce, target, server.node().snapshot());
        server.submissions().apply(job, o, user, diff, userAgent);
        lastSubmit = now();
        if (o.result().accepted()) {
            accepted++;
            reply(id, true);
            if (user.pseudoDifficulty() == null) {
                double changed = vardiff.onShare(now());
                if (!Double.isNaN(changed)) {
                    sendJob(false);
                }
            }
        } else {
            rejected++;
            write(StratumReplies.reject(id, o.result()));
        }
    }

    private double targetDifficulty = Double.NaN;
    private BigInteger targetForDifficulty;

    /** The target of a difficulty, kept for the next submit: it changes only with vardiff. */
    private BigInteger target(double difficulty) {
        if (difficulty != targetDifficulty) {
            targetForDifficulty = Targets.fromBdiff(difficulty);
            targetDifficulty = difficulty;
        }
        return targetForDifficulty;
    }

    private static long toLong(byte[] four) {
        return ((four[0] & 0xffL) << 24) | ((four[1] & 0xffL) << 16) | ((four[2] & 0xffL) << 8) | (four[3] & 0xffL);
    }

    private void reject(Object id, SubmitResult r) {
        rejected++;
        lastSubmit = now();
        server.submissions().rejected(user, r, userAgent);
        write(StratumReplies.reject(id, r));
    }
}
