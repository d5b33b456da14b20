package p2pool4j.bitcoind;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Where RPC credentials come from. A cookie is read again for every call (asynchronously, it is
 * tiny), because bitcoind writes a new one each time it restarts.
 */
public final class CredentialSource {
    private CredentialSource() {}

    public static Supplier<Future<RpcCredentials>> fixed(String user, String password) {
        RpcCredentials c = new RpcCredentials(user, password);
        return () -> Future.succeededFuture(c);
    }

    public static Supplier<Future<RpcCredentials>> cookie(Vertx vertx, String path) {
        return () -> vertx.fileSystem().readFile(path)
                .recover(err -> Future.failedFuture(new BitcoindException(BitcoindException.Kind.AUTH,
                        "cannot read bitcoind's cookie file " + path + ": " + err.getMessage()
                                + " (is bitcoind running, and may this user read it?)")))
                .map(buf -> {
                    if (buf.length() > 1024) {
                        throw new BitcoindException(BitcoindException.Kind.AUTH, "cookie file " + path + " is too large");
                    }
                    try {
                        return RpcCredentials.fromCookie(buf.toString(StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        throw new BitcoindException(BitcoindException.Kind.AUTH, "cookie file " + path + ": " + e.getMessage());
                    }
                });
    }
}
