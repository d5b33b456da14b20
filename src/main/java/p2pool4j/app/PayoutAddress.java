package p2pool4j.app;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoind.BitcoindException;
import p2pool4j.bitcoind.RpcClient;

/**
 * The node's own payout address: the operator's -a, else one kept in the datadir, else a new one
 * asked once from bitcoind's wallet (and kept, so a restart pays the same address). Waits for
 * bitcoind while it is unreachable; a daemon without a wallet is a clear, final error.
 */
public final class PayoutAddress {
    private static final Logger LOG = LoggerFactory.getLogger(PayoutAddress.class);
    static final String FILE = "payout-address";

    /** bitcoind answered but can give no address: the operator must pass -a. */
    public static final class NoWalletException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoWalletException(String msg) {
            super(msg, null, false, false);
        }
    }

    private PayoutAddress() {}

    public static Future<Address> resolve(Vertx vertx, Config config, RpcClient rpc) {
        ChainParams chain = config.net().chain();
        if (config.address().isPresent()) {
            return Future.succeededFuture(Address.parse(config.address().get(), chain));
        }
        String file = config.datadir().resolve(FILE).toString();
        return vertx.fileSystem().exists(file).compose(exists -> {
            if (exists) {
                return vertx.fileSystem().readFile(file).compose(buf -> {
                    String text = buf.toString(StandardCharsets.UTF_8).strip();
                    try {
                        Address a = Address.parse(text, chain);
                        LOG.info("payout address {} (kept in {})", a, file);
                        return Future.succeededFuture(a);
                    } catch (ParseException e) {
                        return Future.failedFuture(new IllegalStateException(file + " holds '" + text
                                + "', not a " + chain.cliName() + " address; fix or delete it, or pass -a"));
                    }
                });
            }
            return askWallet(vertx, rpc, chain, 1_000).compose(a -> vertx.fileSystem()
                    .mkdirs(config.datadir().toString())
                    .compose(v -> vertx.fileSystem().writeFile(file, Buffer.buffer(a.text() + "\n")))
                    .map(v -> {
                        LOG.info("no -a/--address given: bitcoind's wallet gave payout address {}, kept in {}", a, file);
                        return a;
                    }));
        });
    }

    private static Future<Address> askWallet(Vertx vertx, RpcClient rpc, ChainParams chain, long backoffMs) {
        return rpc.call("getnewaddress", "p2pool").compose(result -> {
            try {
                return Future.succeededFuture(Address.parse(String.valueOf(result), chain));
            } catch (ParseException e) {
                return Future.failedFuture(new NoWalletException("bitcoind's wallet gave '" + result
                        + "', which is not a " + chain.cliName() + " address; pass -a/--address"));
            }
        }, err -> {
            // An RPC error is an answer: no wallet (Core -18/-19, or no such method as on bcoin).
            if (err instanceof BitcoindException be && be.kind() == BitcoindException.Kind.RPC) {
                return Future.failedFuture(new NoWalletException("no -a/--address given and bitcoind has no wallet to "
                        + "give one (" + be.getMessage() + "); start p2pool4j with -a YOUR_ADDRESS"));
            }
            // bitcoind down or starting: keep asking.
            Promise<Address> p = Promise.promise();
            vertx.setTimer(backoffMs, id -> askWallet(vertx, rpc, chain, Math.min(backoffMs * 2, 30_000)).onComplete(p));
            return p.future();
        });
    }
}
