package p2pool4j.app;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import p2pool4j.bitcoind.CredentialSource;
import p2pool4j.bitcoind.RpcClient;

/**
 * {@code check-config --probe}: what the configuration cannot say by itself. Logs in to
 * bitcoind's RPC (the credentials as the node would use them), compares bitcoind's chain with
 * the configured network, and opens bitcoind's P2P port. One line per check, "ok" or why not.
 * Blocking: a CLI command, on its own short-lived Vert.x, never inside the node.
 */
final class ConfigProbe {
    static final long TIMEOUT_SECONDS = 10;

    private ConfigProbe() {}

    /** True when every check passed. */
    static boolean run(Config c, PrintStream out) {
        Vertx vertx = Vertx.vertx();
        boolean ok = true;
        try {
            var creds = c.cookieAuth() ? CredentialSource.cookie(vertx, c.bitcoindCookie().toString())
                    : CredentialSource.fixed(c.rpcUser().get(), c.rpcPassword().get());
            RpcClient rpc = new RpcClient(vertx, c.bitcoindAddress(), c.bitcoindRpcPort(), creds);
            String where = c.bitcoindAddress() + ":" + c.bitcoindRpcPort();
            try {
                Object info = rpc.call("getblockchaininfo").toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                String chain = info instanceof JsonObject o ? o.getString("chain", "?") : "?";
                long blocks = info instanceof JsonObject o ? o.getLong("blocks", -1L) : -1;
                out.println("probe: bitcoind RPC " + where + ": ok (" + (c.cookieAuth() ? "cookie" : "user and password")
                        + "), chain " + chain + ", " + blocks + " blocks");
                if (!chain.equals(c.net().chain().rpcChainName())) {
                    out.println("probe: bitcoind's chain is '" + chain + "' but --net " + c.net().cliName() + " needs '"
                            + c.net().chain().rpcChainName() + "': FAILED");
                    ok = false;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                out.println("probe: bitcoind RPC " + where + ": FAILED: " + e.getCause().getMessage());
                ok = false;
            } catch (java.util.concurrent.TimeoutException e) {
                out.println("probe: bitcoind RPC " + where + ": FAILED: no answer within " + TIMEOUT_SECONDS + " s");
                ok = false;
            }
            String p2p = c.bitcoindAddress() + ":" + c.bitcoindP2pPort();
            try {
                vertx.createNetClient().connect(c.bitcoindP2pPort(), c.bitcoindAddress())
                        .compose(s -> s.close()).toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                out.println("probe: bitcoind P2P " + p2p + ": ok (accepts connections)");
            } catch (java.util.concurrent.ExecutionException e) {
                out.println("probe: bitcoind P2P " + p2p + ": FAILED: " + e.getCause().getMessage()
                        + " (new blocks then reach the node only by polling, seconds late)");
                ok = false;
            } catch (java.util.concurrent.TimeoutException e) {
                out.println("probe: bitcoind P2P " + p2p + ": FAILED: no answer within " + TIMEOUT_SECONDS + " s");
                ok = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        } finally {
            vertx.close();
        }
        return ok;
    }
}
