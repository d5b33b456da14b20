package p2pool4j.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Share;
import p2pool4j.stats.Database;
import p2pool4j.stats.ShareStore;
import p2pool4j.testutil.Vectors;

/** The node stores what it learns and a restarted node resumes at the same best share. */
class NodeTest {
    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static Node deploy(Vertx vertx, Database db) throws Exception {
        NodeVerticle nv = new NodeVerticle(P2poolNetwork.REGTEST, new ShareStore(db, "regtest"));
        await(vertx.deployVerticle(nv));
        return nv.node();
    }

    @Test
    void restartResumesAtTheSameBestShare(@TempDir Path dir) throws Exception {
        List<Share> shares = new ArrayList<>();
        for (var s : Vectors.load("chain_regtest.json").get("shares")) {
            shares.add(Share.loadWrapped(P2poolNetwork.REGTEST, Hex.decode(s.get("wire_hex").asText())));
        }
        Vertx vertx = Vertx.vertx();
        try {
            Sha256Hash best;
            try (Database db = Database.open(dir)) {
                Node node = deploy(vertx, db);
                List<Sha256Hash> changes = new ArrayList<>();
                node.onBestShare(changes::add);
                assertEquals(460, await(node.addShares(shares, "peer")));
                assertEquals(0, await(node.addShares(shares.subList(0, 5), "peer")), "known shares are not new");
                best = node.snapshot().best();
                assertEquals(shares.get(459).hash(), best);
                assertEquals(List.of(best), changes);
                node.stop();
            }
            try (Database db = Database.open(dir)) {
                Node again = deploy(vertx, db);
                assertEquals(best, again.snapshot().best());
                assertEquals(460, (int) await(again.read(st -> st.tracker().height(best))));
                again.stop();
            }
        } finally {
            await(vertx.close());
        }
    }

    /**
     * A restart serves from the stored chain at once, trusting what the store marks verified, and
     * verifies it again in the background: a share edited into the database behind the node's back
     * (here one that fails the share_info check, marked verified) is found and dropped.
     */
    @Test
    void aRestartTrustsVerifiedMarksThenCatchesAnEditedDatabase(@TempDir Path dir) throws Exception {
        List<Share> shares = new ArrayList<>();
        for (var s : Vectors.load("chain_regtest.json").get("shares")) {
            shares.add(Share.loadWrapped(P2poolNetwork.REGTEST, Hex.decode(s.get("wire_hex").asText())));
        }
        Share bad = null;
        for (var c : Vectors.load("chain_regtest.json").get("negative_and_edge_cases")) {
            if (c.get("desc").asText().startsWith("absheight off by one")) {
                bad = Share.loadWrapped(P2poolNetwork.REGTEST, Hex.decode(c.get("wire_hex").asText()));
            }
        }
        Vertx vertx = Vertx.vertx();
        try {
            Sha256Hash best;
            try (Database db = Database.open(dir)) {
                Node node = deploy(vertx, db);
                assertEquals(460, await(node.addShares(shares, "peer")));
                best = node.snapshot().best();
            }
            try (Database db = Database.open(dir)) {
                // Every share gets its verified mark, as housekeeping writes them; then the edit.
                ShareStore store = new ShareStore(db, "regtest");
                store.markVerified(shares.stream().map(Share::hash).toList()).get();
                store.add(List.of(bad), 1).get();
                store.markVerified(List.of(bad.hash())).get();
            }
            try (Database db = Database.open(dir)) {
                Node again = deploy(vertx, db);
                assertTrue(again.snapshot().best() != null, "serves from the trusted chain at once");
                await(again.fullyVerified());
                Share b = bad;
                assertEquals(false, await(again.read(st -> st.tracker().contains(b.hash()))), "the edited share is dropped");
                assertEquals(best, again.snapshot().best());
                again.stop();
            }
            try (Database db = Database.open(dir)) {
                assertEquals(460L, new ShareStore(db, "regtest").count().get(), "and removed from the store");
            }
        } finally {
            await(vertx.close());
        }
    }

    private static p2pool4j.bitcoind.Template template(Sha256Hash tip, long time) {
        return new p2pool4j.bitcoind.Template(0x20000000L, tip, 100, 0x207fffffL, time, time - 600, 5_000_000_000L, new byte[0],
                List.of(), java.util.Set.of("segwit"), null, java.util.Optional.empty());
    }

    /**
     * The templates a found block may need are those on the current tip, the newest 64: a job names
     * its template by serial, so older tips' transactions are not kept alive by sessions' histories.
     */
    @Test
    void theSnapshotHoldsTheTemplatesOfTheCurrentTipOnly(@TempDir Path dir) throws Exception {
        Vertx vertx = Vertx.vertx();
        try (Database db = Database.open(dir)) {
            Node node = deploy(vertx, db);
            Sha256Hash a = p2pool4j.bitcoin.Hashes.hash256(new byte[] {1});
            Sha256Hash b = p2pool4j.bitcoin.Hashes.hash256(new byte[] {2});
            List<p2pool4j.bitcoind.Template> onA = new ArrayList<>();
            for (int i = 0; i < Node.TIP_TEMPLATES + 6; i++) {
                onA.add(template(a, 1_750_000_000L + i));
                node.setTemplate(onA.get(i));
            }
            await(node.read(st -> null)); // after the node's context ran every setTemplate
            var held = node.snapshot().tipTemplates();
            assertEquals(Node.TIP_TEMPLATES, held.size());
            assertTrue(held.values().stream().allMatch(t -> t.previousBlockHash().equals(a)));
            long newest = held.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertTrue(node.snapshot().blockTemplate(newest) == onA.get(onA.size() - 1), "the current template is held");
            assertTrue(held.values().stream().noneMatch(t -> t == onA.get(0)), "the oldest went first");

            p2pool4j.bitcoind.Template onB = template(b, 1_750_001_000L);
            node.setTemplate(onB);
            await(node.read(st -> null));
            held = node.snapshot().tipTemplates();
            assertEquals(1, held.size(), "a new tip drops the old one's: a block on it would be stale");
            assertTrue(held.values().iterator().next() == onB);
            assertNull(node.snapshot().blockTemplate(newest));
            node.stop();
        } finally {
            await(vertx.close());
        }
    }
}
