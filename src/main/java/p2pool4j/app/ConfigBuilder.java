package p2pool4j.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoind.BitcoinConf;
import p2pool4j.sharechain.P2poolNetwork;

/**
 * Merges the layers of configuration (defaults &lt; bitcoin.conf &lt; config file &lt; environment
 * &lt; command line) and validates the result, collecting one message per invalid value, each
 * naming its option. File reads go through a function so tests need no real files.
 */
public final class ConfigBuilder {
    public enum Source { DEFAULT, BITCOIN_CONF, FILE, ENV, CLI }

    /** A raw value and where it came from. */
    public record Raw(List<String> values, Source source) {
        String first() {
            return values.isEmpty() ? "" : values.get(values.size() - 1);
        }
    }

    /** Either a config, or the messages that explain why there is none; plus every raw value for check-config. */
    public record Result(Config config, List<String> errors, Map<Setting, Raw> effective, List<String> warnings) {
        public Result(Config config, List<String> errors, Map<Setting, Raw> effective) {
            this(config, errors, effective, List.of());
        }

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private final Map<Setting, Raw> raw = new EnumMap<>(Setting.class);
    private final List<String> errors = new ArrayList<>();
    /** Valid but probably not what the operator wants (check-config prints them, the node logs them). */
    private final List<String> warnings = new ArrayList<>();

    private ConfigBuilder() {}

    /**
     * @param cli      values given on the command line
     * @param env      the process environment (only P2POOL4J_* names are read)
     * @param readFile reads a file, empty if it does not exist; throws IllegalStateException with a
     *                 clear message if it exists but cannot be read
     * @param home     the user's home directory, for the ~ defaults
     */
    public static Result build(Map<Setting, List<String>> cli, Map<String, String> env,
            Function<Path, Optional<String>> readFile, Path home) {
        ConfigBuilder b = new ConfigBuilder();
        for (Setting s : Setting.values()) {
            String v = env.get(s.envName());
            if (v != null && s != Setting.CONFIG) {
                b.raw.put(s, new Raw(s.kind() == Setting.Kind.LIST ? splitList(v) : List.of(v.strip()), Source.ENV));
            }
        }
        cli.forEach((s, v) -> b.raw.put(s, new Raw(List.copyOf(v), Source.CLI)));
        // The config file sits below environment and CLI: only fill what they left open.
        String configPath = cli.containsKey(Setting.CONFIG) ? last(cli.get(Setting.CONFIG)) : env.get(Setting.CONFIG.envName());
        if (configPath != null) {
            Path p = expand(configPath, home);
            try {
                Optional<String> text = readFile.apply(p);
                if (text.isEmpty()) {
                    b.errors.add("--config: file " + p + " does not exist");
                } else {
                    ConfigFile.Parsed parsed = ConfigFile.parse(p.toString(), text.get());
                    b.errors.addAll(parsed.errors());
                    parsed.values().forEach((s, v) -> b.raw.putIfAbsent(s, new Raw(v, Source.FILE)));
                }
            } catch (IllegalStateException e) {
                b.errors.add("--config: " + e.getMessage());
            }
            b.raw.put(Setting.CONFIG, new Raw(List.of(p.toString()), cli.containsKey(Setting.CONFIG) ? Source.CLI : Source.ENV));
        }
        b.refuseControlCharacters();
        Config c = b.validate(readFile, home);
        return new Result(b.errors.isEmpty() ? c : null, List.copyOf(b.errors), Map.copyOf(b.raw), List.copyOf(b.warnings));
    }

    private static String last(List<String> l) {
        return l.isEmpty() ? null : l.get(l.size() - 1);
    }

    private static List<String> splitList(String v) {
        List<String> out = new ArrayList<>();
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private static Path expand(String path, Path home) {
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/")) {
            return home.resolve(path.substring(2));
        }
        return Path.of(path);
    }

    /**
     * A value with a control character (a NUL from a damaged file, say) is refused by name and
     * dropped, so nothing downstream (paths, hosts) meets it. Found by fuzzing the config file.
     */
    private void refuseControlCharacters() {
        for (Setting s : List.copyOf(raw.keySet())) {
            for (String v : raw.get(s).values()) {
                if (v.chars().anyMatch(ch -> ch < 0x20 && ch != '\t' || ch == 0x7f)) {
                    errors.add(s.display() + ": the value contains a control character");
                    raw.remove(s);
                    break;
                }
            }
        }
    }

    private Optional<String> value(Setting s) {
        Raw r = raw.get(s);
        return r == null ? Optional.empty() : Optional.of(r.first());
    }

    private String valueOr(Setting s, String def) {
        Optional<String> v = value(s);
        if (v.isEmpty()) {
            raw.put(s, new Raw(List.of(def), Source.DEFAULT));
            return def;
        }
        return v.get();
    }

    private boolean flag(Setting s) {
        Optional<String> v = value(s);
        if (v.isEmpty()) {
            return false;
        }
        switch (v.get().toLowerCase(Locale.ROOT)) {
            case "", "true", "yes", "1", "on": return true;
            case "false", "no", "0", "off": return false;
            default:
                errors.add(s.display() + ": expected true or false, got '" + v.get() + "'");
                return false;
        }
    }

    static int parsePort(String v) {
        try {
            int p = Integer.parseInt(v.strip());
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalArgumentException("'" + v + "' is not a port number (1-65535)");
    }

    private int port(Setting s, int def) {
        String v = valueOr(s, String.valueOf(def));
        try {
            return parsePort(v);
        } catch (IllegalArgumentException e) {
            errors.add(s.display() + ": " + e.getMessage());
            return def;
        }
    }

    private int count(Setting s, int def, int max) {
        String v = valueOr(s, String.valueOf(def));
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        errors.add(s.display() + ": '" + v + "' is not a whole number from 0 to " + max);
        return def;
    }

    private double percent(Setting s) {
        String v = valueOr(s, "0");
        try {
            double d = Double.parseDouble(v.strip());
            if (d >= 0 && d <= 100 && !Double.isNaN(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        errors.add(s.display() + ": '" + v + "' is not a percentage between 0 and 100");
        return 0;
    }

    private Config validate(Function<Path, Optional<String>> readFile, Path home) {
        P2poolNetwork net = P2poolNetwork.MAIN;
        boolean testnet = flag(Setting.TESTNET);
        String netName = valueOr(Setting.NET, testnet ? "testnet" : "bitcoin");
        try {
            net = P2poolNetwork.fromName(netName);
        } catch (IllegalArgumentException e) {
            errors.add("--net: '" + netName + "' is not a network (use bitcoin, testnet or regtest)");
        }
        if (testnet && net != P2poolNetwork.TESTNET) {
            errors.add("--testnet: contradicts --net " + netName);
        }
        Optional<String> address = value(Setting.ADDRESS).filter(a -> !a.isBlank());
        if (address.isPresent()) {
            try {
                Address a = Address.parse(address.get(), net.chain());
                if (a.kind() == Address.Kind.WITNESS && a.witnessVersion() >= 1) {
                    warnings.add(Setting.ADDRESS.display() + ": " + a.text() + " is a bech32m (witness v" + a.witnessVersion()
                            + ", e.g. taproot) address, which no P2Pool share can pay: miners without an address of their own would"
                            + " get no work; use a P2PKH (1..., m/n...) or a v0 bech32 address");
                } else if (a.kind() != Address.Kind.P2PKH) {
                    warnings.add(Setting.ADDRESS.display() + ": " + a.text() + " is not P2PKH; shares before v34 (a new sharechain"
                            + " starts at v17) pay only P2PKH, so until the network votes in v34 or later miners without an address"
                            + " of their own get no work");
                }
            } catch (ParseException e) {
                errors.add(Setting.ADDRESS.display() + ": '" + address.get() + "' is rejected: " + e.getMessage());
            }
        }
        int p2poolPort = port(Setting.P2POOL_PORT, net.p2pPort());
        List<HostPort> nodes = new ArrayList<>();
        Raw nodeRaw = raw.get(Setting.P2POOL_NODE);
        if (nodeRaw != null) {
            for (String n : nodeRaw.values()) {
                try {
                    nodes.add(HostPort.parse(n, net.p2pPort()));
                } catch (IllegalArgumentException e) {
                    errors.add(Setting.P2POOL_NODE.display() + ": " + e.getMessage());
                }
            }
        }
        int outgoing = count(Setting.OUTGOING_CONNS, 6, 10);
        int maxConns = count(Setting.MAX_CONNS, 40, 10_000);
        boolean low = flag(Setting.LOW_BANDWIDTH);
        int workerPort = port(Setting.WORKER_PORT, net.workerPort());
        int maxSessionsPerIp = count(Setting.MAX_SESSIONS_PER_IP, 1024, 1_000_000);
        int maxSessions = count(Setting.MAX_SESSIONS, 5_000, 1_000_000);
        String workerBind = valueOr(Setting.WORKER_BIND, "0.0.0.0");
        int workerThreads = count(Setting.WORKER_THREADS, Runtime.getRuntime().availableProcessors(), 256);
        if (workerThreads < 1) {
            errors.add(Setting.WORKER_THREADS.display() + ": must be at least 1");
        }
        int webPort = port(Setting.WEB_PORT, workerPort + 2 <= 65535 ? workerPort + 2 : workerPort - 2);
        String webBind = valueOr(Setting.WEB_BIND, "0.0.0.0");
        String bitcoind = valueOr(Setting.BITCOIND_ADDRESS, "127.0.0.1");
        if (bitcoind.isBlank() || !HostPort.onlyHostCharacters(bitcoind, "[]")) {
            errors.add("--bitcoind-address: '" + bitcoind + "' is not a host name or IP address");
        }
        Path bitcoindDatadir = expand(valueOr(Setting.BITCOIND_DATADIR, home.resolve(".bitcoin").toString()), home);
        BitcoinConf conf = BitcoinConf.parse("", net.chain());
        try {
            Optional<String> text = readFile.apply(bitcoindDatadir.resolve("bitcoin.conf"));
            if (text.isPresent()) {
                conf = BitcoinConf.parse(text.get(), net.chain());
            }
        } catch (IllegalStateException unreadable) {
            // bitcoin.conf is someone else's file and often not readable by a service user: use defaults.
        }
        fromBitcoinConf(Setting.BITCOIND_RPC_PORT, conf.get("rpcport"));
        fromBitcoinConf(Setting.BITCOIND_P2P_PORT, conf.get("port"));
        fromBitcoinConf(Setting.BITCOIND_RPC_USER, conf.get("rpcuser"));
        fromBitcoinConf(Setting.BITCOIND_RPC_PASSWORD, conf.get("rpcpassword"));
        int rpcPort = port(Setting.BITCOIND_RPC_PORT, net.chain().rpcPort());
        int p2pPort = port(Setting.BITCOIND_P2P_PORT, net.chain().p2pPort());
        Optional<String> user = value(Setting.BITCOIND_RPC_USER).filter(u -> !u.isEmpty());
        Optional<String> password = value(Setting.BITCOIND_RPC_PASSWORD);
        if (user.isPresent() && password.isEmpty()) {
            errors.add("--bitcoind-rpc-password: required with --bitcoind-rpc-user " + user.get());
        }
        String sub = net.chain().datadirSubfolder();
        Path defaultCookie = (sub.isEmpty() ? bitcoindDatadir : bitcoindDatadir.resolve(sub)).resolve(".cookie");
        Path cookie = expand(valueOr(Setting.BITCOIND_COOKIE,
                conf.get("rpccookiefile").map(f -> Path.of(f).isAbsolute() ? f : bitcoindDatadir.resolve(f).toString())
                        .orElse(defaultCookie.toString())), home);
        Path datadir = expand(valueOr(Setting.DATADIR, home.resolve(".p2pool4j").resolve(net.cliName()).toString()), home);
        double fee = percent(Setting.FEE);
        double giveAuthor = percent(Setting.GIVE_AUTHOR);
        int tlsPort = value(Setting.WORKER_TLS_PORT).isPresent() ? port(Setting.WORKER_TLS_PORT, 0) : 0;
        Optional<Path> tlsCert = value(Setting.TLS_CERT).map(v -> expand(v, home));
        Optional<Path> tlsKey = value(Setting.TLS_KEY).map(v -> expand(v, home));
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            errors.add((tlsCert.isPresent() ? "--tls-cert" : "--tls-key") + ": give --tls-cert and --tls-key together"
                    + " (or neither, for a self-signed certificate made in the datadir)");
        }
        if (tlsPort == 0 && tlsCert.isPresent()) {
            warnings.add("--tls-cert: no --worker-tls-port, so no TLS port uses it");
        }
        List<String> alertUrls = raw.containsKey(Setting.ALERT_URL) ? raw.get(Setting.ALERT_URL).values() : List.of();
        for (int i = 0; i < alertUrls.size(); i++) {
            try {
                Alert.Target.parse(alertUrls.get(i));
            } catch (IllegalArgumentException e) {
                errors.add("--alert-url #" + (i + 1) + ": " + e.getMessage()); // never the URL itself: it may hold a token
            }
        }
        int alertOffline = count(Setting.ALERT_OFFLINE_MINUTES, 10, 10_080);
        if (alertOffline < 1) {
            errors.add(Setting.ALERT_OFFLINE_MINUTES.display() + ": must be at least 1 minute");
        }
        Config.WorkerTls workerTls = tlsPort == 0 ? Config.WorkerTls.OFF : new Config.WorkerTls(tlsPort, tlsCert, tlsKey);
        Setting[] listeners = tlsPort == 0 ? new Setting[] {Setting.WORKER_PORT, Setting.WEB_PORT, Setting.P2POOL_PORT}
                : new Setting[] {Setting.WORKER_PORT, Setting.WEB_PORT, Setting.P2POOL_PORT, Setting.WORKER_TLS_PORT};
        int[] ports = tlsPort == 0 ? new int[] {workerPort, webPort, p2poolPort} : new int[] {workerPort, webPort, p2poolPort, tlsPort};
        for (int i = 0; i < ports.length; i++) {
            for (int j = i + 1; j < ports.length; j++) {
                if (ports[i] == ports[j]) {
                    errors.add(listeners[j].display() + ": " + ports[j] + " is also " + listeners[i].display() + "; give each its own port");
                }
            }
        }
        int retention = count(Setting.STATS_RETENTION_DAYS, 90, 3650);
        if (retention < 1) {
            errors.add(Setting.STATS_RETENTION_DAYS.display() + ": must be at least 1 day");
        }
        return new Config(net, address, p2poolPort, nodes, outgoing, maxConns, low, workerPort, maxSessionsPerIp, maxSessions, workerBind, Math.max(1, workerThreads), webPort, webBind, bitcoind, rpcPort, p2pPort,
                user, password, cookie, datadir, fee, giveAuthor, retention,
                flag(Setting.METRICS_PER_WORKER), workerTls, alertUrls, alertOffline);
    }

    private void fromBitcoinConf(Setting s, Optional<String> v) {
        if (v.isPresent() && !raw.containsKey(s)) {
            raw.put(s, new Raw(List.of(v.get()), Source.BITCOIN_CONF));
        }
    }
}
