package p2pool4j.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The floor of the load harness's figures: a stand-in Stratum server (load harness only, never a
 * test) that does the least any server must: reads a line, finds its id, writes an answer; sends
 * a job after authorize, and on {@code block <prevhash>} from standard input writes one encoded
 * notify to every session, each from its own loop. Same framework and layout as the worker port
 * (one verticle instance per core on one port), none of its work: what the harness measures
 * against it is what the generator, loopback and the shared cores cost by themselves.
 * Run by {@code load --floor}: {@code java -cp benchmarks.jar p2pool4j.bench.EchoStratum PORT}.
 */
public final class EchoStratum extends VerticleBase {
    private static final List<EchoStratum> INSTANCES = new CopyOnWriteArrayList<>();
    private static volatile String prevHash = "00".repeat(32);

    private final int port;
    private final List<NetSocket> sessions = new ArrayList<>();
    private Context loop;

    private EchoStratum(int port) {
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = LoadHarness.benchVertx(new io.vertx.core.VertxOptions());
        int cores = Runtime.getRuntime().availableProcessors();
        vertx.deployVerticle(() -> new EchoStratum(port), new DeploymentOptions().setInstances(cores))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("miners: Stratum stand-in on 127.0.0.1:" + port + " (" + LoadHarness.transportName(vertx) + ")");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String l = in.readLine(); l != null; l = in.readLine()) {
            if (l.startsWith("block ") && l.length() == 6 + 64) {
                prevHash = l.substring(6);
                Buffer notify = notify(prevHash);
                INSTANCES.forEach(e -> e.loop.runOnContext(v -> e.sessions.forEach(s -> s.write(notify))));
            }
        }
        vertx.close(); // standard input closed: the harness is done
    }

    @Override
    public Future<?> start() {
        loop = context;
        INSTANCES.add(this);
        return vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true)).connectHandler(this::connected)
                .listen(port, "127.0.0.1");
    }

    private void connected(NetSocket socket) {
        socket.handler(RecordParser.newDelimited("\n", line -> answer(socket, line)));
        socket.closeHandler(v -> sessions.remove(socket));
    }

    private void answer(NetSocket socket, Buffer line) {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        String id = idOf(text);
        if (text.contains("\"mining.subscribe\"")) {
            socket.write("{\"id\":" + id + ",\"result\":[[[\"mining.notify\",\"1\"]],\"00000000\",4],\"error\":null}\n");
        } else if (text.contains("\"mining.authorize\"")) {
            socket.write("{\"id\":" + id + ",\"result\":true,\"error\":null}\n");
            socket.write(notify(prevHash));
            sessions.add(socket);
        } else {
            socket.write("{\"id\":" + id + ",\"result\":true,\"error\":null}\n");
        }
    }

    /** The id's text as sent (the generator's are plain integers), "null" when there is none. */
    static String idOf(String line) {
        int at = line.indexOf("\"id\":");
        if (at < 0) {
            return "null";
        }
        int end = at + 5;
        while (end < line.length() && line.charAt(end) != ',' && line.charAt(end) != '}') {
            end++;
        }
        return line.substring(at + 5, end).trim();
    }

    static Buffer notify(String prev) {
        String ntime = String.format("%08x", System.currentTimeMillis() / 1000);
        return Buffer.buffer("{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"1\",\"" + prev + "\",\"" + "01".repeat(42) + "\",\""
                + "02".repeat(60) + "\",[],\"20000000\",\"1703a30c\",\"" + ntime + "\",true]}\n");
    }
}
