package p2pool4j.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import p2pool4j.sharechain.P2poolNetwork;

/**
 * The node's whole configuration, validated, immutable. Built by {@link ConfigBuilder} from
 * defaults &lt; bitcoin.conf &lt; config file &lt; environment &lt; command line.
 *
 * @param address      payout address given by the operator, if any (validated for the network)
 * @param rpcUser      with rpcPassword: Basic auth; when absent the cookie file is used
 * @param feePercent   operator fee in percent, 0..100
 * @param statsRetentionDays days of per-worker history kept
 * @param metricsPerWorker   per-worker labels on /metrics
 * @param maxSessions        worker-port connections in all (sessions x per-session bound must fit the heap)
 * @param workerThreads      worker-port verticle instances (event loops)
 */
public record Config(
        P2poolNetwork net,
        Optional<String> address,
        int p2poolPort,
        List<HostPort> p2poolNodes,
        int outgoingConns,
        int maxConns,
        boolean lowBandwidth,
        int workerPort,
        int maxSessionsPerIp,
        int maxSessions,
        String workerBind,
        int workerThreads,
        int webPort,
        String webBind,
        String bitcoindAddress,
        int bitcoindRpcPort,
        int bitcoindP2pPort,
        Optional<String> rpcUser,
        Optional<String> rpcPassword,
        Path bitcoindCookie,
        Path datadir,
        double feePercent,
        double giveAuthorPercent,
        int statsRetentionDays,
        boolean metricsPerWorker,
        WorkerTls workerTls,
        List<String> alertUrls,
        int alertOfflineMinutes) {

    /** The TLS worker port: {@code port} 0 when off; certificate and key from files, or made in the datadir. */
    public record WorkerTls(int port, Optional<Path> cert, Optional<Path> key) {
        public static final WorkerTls OFF = new WorkerTls(0, Optional.empty(), Optional.empty());

        public boolean on() {
            return port != 0;
        }
    }

    public Config {
        p2poolNodes = List.copyOf(p2poolNodes);
        alertUrls = List.copyOf(alertUrls);
    }

    public boolean cookieAuth() {
        return rpcUser.isEmpty() || rpcPassword.isEmpty();
    }

    @Override
    public String toString() {
        return "Config[net=" + net.cliName() + ", rpcPassword=" + (rpcPassword.isPresent() ? "***" : "none") + ", ...]";
    }
}
