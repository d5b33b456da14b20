package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import p2pool4j.bitcoind.BitcoindState;
import p2pool4j.stats.LiveStats;
import p2pool4j.work.FoundBlock;
import p2pool4j.work.SubmitEvent;
import p2pool4j.work.SubmitResult;

/**
 * Webhook alerts against a real HTTP receiver on loopback: each alert arrives once and in order
 * even when the receiver fails a request (it is retried), each receiver gets its own format, a
 * dead receiver costs only counted failures, and the watch turns node states into alerts once
 * when they begin and once when they end, a flapping worker alerted once.
 */
@ExtendWith(VertxExtension.class)
class AlertsTest {
    private static Alert alert(int n) {
        return new Alert("test", 1_800_000_000_000L + n, "alert " + n, "message " + n, new JsonObject().put("n", n));
    }

    @Test
    void everyAlertArrivesOnceInOrderThroughFailuresAndADeadReceiverIsOnlyCounted(Vertx vertx, VertxTestContext test) throws Exception {
        List<String> json = new CopyOnWriteArrayList<>();
        List<String> discord = new CopyOnWriteArrayList<>();
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            int k = requests.incrementAndGet();
            if (req.path().equals("/json") && k == 1) {
                req.response().setStatusCode(503).end(); // the first delivery fails: retried, order kept
                return;
            }
            (req.path().equals("/json") ? json : discord).add(b.toString());
            req.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        int port = server.actualPort();
        int dead = p2pool4j.testutil.BcoinNode.freePort(); // nothing listens there
        AlertSender s = new AlertSender(vertx, List.of(Alert.Target.parse("http://127.0.0.1:" + port + "/json"),
                Alert.Target.parse("discord:http://127.0.0.1:" + port + "/discord"), Alert.Target.parse("http://127.0.0.1:" + dead + "/x")), 10);
        for (int i = 1; i <= 5; i++) {
            s.publish(alert(i));
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((json.size() < 5 || discord.size() < 5 || s.failed.get() < 5) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        test.verify(() -> {
            List<Integer> order = new ArrayList<>();
            json.forEach(b -> order.add(new JsonObject(b).getJsonObject("details").getInteger("n")));
            assertEquals(List.of(1, 2, 3, 4, 5), order, "once each, in order, the failed one retried");
            assertEquals("test", new JsonObject(json.get(0)).getString("event"));
            assertEquals("2027-01-15T08:00:00.001Z", new JsonObject(json.get(0)).getString("time"));
            assertEquals("**alert 1**\nmessage 1", new JsonObject(discord.get(0)).getString("content"), "Discord's shape");
            assertEquals(10, s.sent.get(), "5 to each live receiver");
            assertEquals(5, s.failed.get(), "the dead receiver: every alert a counted failure, nothing else");
            test.completeNow();
        });
        s.close();
    }

    @Test
    void statesBecomeAlertsWhenTheyBeginAndEnd() throws Exception {
        List<Alert> out = new ArrayList<>();
        AtomicInteger suppressed = new AtomicInteger();
        LiveStats live = new LiveStats();
        BitcoindState[] state = {new BitcoindState(true, true, "main", "/Satoshi/", 800_000, "00", null, System.currentTimeMillis())};
        int[] peers = {3};
        ConfigBuilder.Result r = ConfigBuilder.build(Cli.parse(Cli.commandLine(), new String[] {"-a", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"})
                .values(), Map.of(), p -> java.util.Optional.empty(), java.nio.file.Path.of("/nonexistent"));
        AlertWatch w = new AlertWatch(out::add, suppressed::incrementAndGet, r.config(), live, () -> state[0], () -> peers[0], 600_000);
        long t = System.currentTimeMillis();
        live.accept(new SubmitEvent("addr.rig", "addr", 1, SubmitResult.ACCEPTED, false, false, false, 1, "ua", t));
        w.started();
        w.check(t);
        w.block(new FoundBlock("00ab", 800_001, 312_500_000, "addr.rig", t, null, "pending"));
        w.block(new FoundBlock("00ab", 800_001, 312_500_000, "addr.rig", t, null, "accepted", "addr", 12_345_678));
        state[0] = new BitcoindState(false, false, "main", "/Satoshi/", 800_000, "00", "connection refused", t);
        peers[0] = 0;
        w.check(t + 1_000);
        w.check(t + 200_000); // bitcoind down 199 s, no peers for 199 s
        w.check(t + 201_000); // still: nothing new
        w.check(t + 700_000); // the rig silent for 11.6 min
        live.accept(new SubmitEvent("addr.rig", "addr", 1, SubmitResult.ACCEPTED, false, false, false, 1, "ua", t + 710_000));
        state[0] = new BitcoindState(true, true, "main", "/Satoshi/", 800_002, "00", null, t + 710_000);
        peers[0] = 2;
        w.check(t + 711_000);
        // It flaps: silent again at once, back again; within 30 min of the last alert it is not told twice.
        w.check(t + 1_400_000);
        live.accept(new SubmitEvent("addr.rig", "addr", 1, SubmitResult.ACCEPTED, false, false, false, 1, "ua", t + 1_410_000));
        w.check(t + 1_411_000);
        List<String> events = out.stream().map(Alert::event).toList();
        assertEquals(List.of("node_started", "block_found", "bitcoind_down", "no_peers", "worker_offline", "bitcoind_up", "peers_back",
                "worker_online"), events);
        assertTrue(suppressed.get() >= 1, "the flap was counted, not sent");
        assertTrue(out.get(1).message().contains("3.12500000 BTC"), out.get(1).message());
        assertTrue(out.get(1).message().contains("0.12345678 BTC of it to addr"), out.get(1).message());
        assertEquals(12_345_678L, out.get(1).details().getLong("paid_to_payout_address_sat"));
    }
}
