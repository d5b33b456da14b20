package p2pool4j.app;

import java.util.Locale;

/**
 * Every setting, once: its command-line names (the reference P2Pool's where it has one), its key
 * in the config file (the long name without dashes), its environment variable
 * (P2POOL4J_ + key in upper case), and its help text. The CLI, the file parser, the environment
 * reader and check-config are all built from this table.
 */
public enum Setting {
    NET("--net", null, "NET", "Network: bitcoin, testnet or regtest (default: bitcoin)", Kind.VALUE),
    TESTNET("--testnet", null, null, "Same as --net testnet", Kind.FLAG),
    ADDRESS("--address", "-a", "ADDRESS", "Payout address for shares of miners that give none (default: ask bitcoind's wallet once and keep it in the datadir)", Kind.VALUE),
    P2POOL_PORT("--p2pool-port", null, "PORT", "P2Pool peer port (default: 9333 bitcoin, 19333 testnet, 19444 regtest)", Kind.VALUE),
    P2POOL_NODE("--p2pool-node", "-n", "ADDR[:PORT]", "P2Pool peer to stay connected to; repeatable (comma-separated in the file)", Kind.LIST),
    OUTGOING_CONNS("--outgoing-conns", null, "N", "Outgoing P2Pool connections wanted, 0 to 10 (default: 6)", Kind.VALUE),
    MAX_CONNS("--max-conns", null, "N", "Incoming P2Pool connections accepted at most (default: 40)", Kind.VALUE),
    LOW_BANDWIDTH("--low-bandwidth", "-l", null, "Accepted for compatibility; sent as the version message's legacy mode field", Kind.FLAG),
    WORKER_PORT("--worker-port", "-w", "PORT", "Port for miners, Stratum and getwork (default: 9332 bitcoin, 19332 testnet, 19443 regtest)", Kind.VALUE),
    MAX_SESSIONS_PER_IP("--max-sessions-per-ip", null, "N", "Miner connections accepted from one IP address (default: 1024)", Kind.VALUE),
    MAX_SESSIONS("--max-sessions", null, "N", "Miner connections accepted in all; each can hold ~150 KiB at worst, so size -Xmx for it (default: 5000)", Kind.VALUE),
    WORKER_BIND("--worker-bind", null, "ADDR", "Address the worker port listens on (default: 0.0.0.0)", Kind.VALUE),
    WORKER_THREADS("--worker-threads", null, "N", "Event loops serving the worker port (default: one per core)", Kind.VALUE),
    WORKER_TLS_PORT("--worker-tls-port", null, "PORT", "Second worker port, Stratum and getwork over TLS (default: off)", Kind.VALUE),
    TLS_CERT("--tls-cert", null, "FILE", "PEM certificate for the TLS worker port (default: a self-signed one made at first start in DATADIR/tls)", Kind.VALUE),
    TLS_KEY("--tls-key", null, "FILE", "PEM private key of --tls-cert", Kind.VALUE),
    WEB_PORT("--web-port", null, "PORT", "Port of the web UI, JSON API and /metrics (default: worker port + 2)", Kind.VALUE),
    WEB_BIND("--web-bind", null, "ADDR", "Address the web UI listens on (default: 0.0.0.0)", Kind.VALUE),
    BITCOIND_ADDRESS("--bitcoind-address", null, "HOST", "Host of bitcoind (default: 127.0.0.1)", Kind.VALUE),
    BITCOIND_RPC_PORT("--bitcoind-rpc-port", null, "PORT", "bitcoind JSON-RPC port (default: bitcoin.conf's rpcport, else 8332 / 18332 / 18443)", Kind.VALUE),
    BITCOIND_P2P_PORT("--bitcoind-p2p-port", null, "PORT", "bitcoind P2P port (default: bitcoin.conf's port, else 8333 / 18333 / 18444)", Kind.VALUE),
    BITCOIND_RPC_USER("--bitcoind-rpc-user", null, "USER", "bitcoind RPC user (default: bitcoin.conf's rpcuser, else cookie authentication)", Kind.VALUE),
    BITCOIND_RPC_PASSWORD("--bitcoind-rpc-password", null, "PASSWORD", "bitcoind RPC password (default: bitcoin.conf's rpcpassword)", Kind.SECRET),
    BITCOIND_COOKIE("--bitcoind-cookie", null, "FILE", "bitcoind's .cookie file (default: DATADIR/[chain/].cookie of --bitcoind-datadir)", Kind.VALUE),
    BITCOIND_DATADIR("--bitcoind-datadir", null, "DIR", "bitcoind's data directory, for bitcoin.conf and the cookie (default: ~/.bitcoin)", Kind.VALUE),
    DATADIR("--datadir", null, "DIR", "Where p2pool4j keeps its database and payout address (default: ~/.p2pool4j/NET)", Kind.VALUE),
    FEE("--fee", "-f", "PCT", "Operator fee: percent of shares (chosen at random per job) that pay the node's address (default: 0)", Kind.VALUE),
    GIVE_AUTHOR("--give-author", null, "PCT", "Percent of each share's reward donated to the P2Pool author's address (default: 0)", Kind.VALUE),
    STATS_RETENTION_DAYS("--stats-retention-days", null, "DAYS", "Days of per-worker history kept in the database; minute buckets become hourly after 48 h (default: 90)", Kind.VALUE),
    METRICS_PER_WORKER("--metrics-per-worker", null, null, "Add per-worker series (label worker) to /metrics; off by default because every rig adds series", Kind.FLAG),
    ALERT_URL("--alert-url", null, "[FORMAT:]URL", "Webhook for alerts (block found, worker offline, bitcoind or peers lost, restart); FORMAT json (default), ntfy, gotify, discord or slack; repeatable", Kind.LIST),
    ALERT_OFFLINE_MINUTES("--alert-offline-minutes", null, "MIN", "A worker silent this long is alerted as offline (default: 10)", Kind.VALUE),
    CONFIG("--config", null, "FILE", "Config file of key=value lines, keys being these long option names", Kind.VALUE);

    public enum Kind { VALUE, SECRET, FLAG, LIST }

    private final String longName;
    private final String shortName;
    private final String label;
    private final String help;
    private final Kind kind;
    private final String key;
    private final String envName;

    Setting(String longName, String shortName, String label, String help, Kind kind) {
        this.longName = longName;
        this.shortName = shortName;
        this.label = label;
        this.help = help;
        this.kind = kind;
        this.key = longName.substring(2);
        this.envName = "P2POOL4J_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public String longName() {
        return longName;
    }

    public String shortName() {
        return shortName;
    }

    public String label() {
        return label;
    }

    public String help() {
        return help;
    }

    public Kind kind() {
        return kind;
    }

    /** The config-file key: "worker-port". */
    public String key() {
        return key;
    }

    /** The environment variable: "P2POOL4J_WORKER_PORT". */
    public String envName() {
        return envName;
    }

    /** How check-config and the message for an invalid value name it. */
    public String display() {
        return shortName == null ? longName : shortName + "/" + longName;
    }

    /** The setting whose key is nearest to a misspelt {@code key} (at most 3 edits, or a prefix), or null. */
    /** Values check-config masks: passwords, and webhook URLs (their paths carry tokens). */
    public boolean secret() {
        return kind == Kind.SECRET || this == ALERT_URL;
    }

    public static Setting closest(String key) {
        Setting best = null;
        int bestDistance = 4;
        for (Setting s : values()) {
            if (s == CONFIG) {
                continue;
            }
            int d = key.length() >= 4 && startsWith(s.key(), key) ? 1 : distance(key, s.key(), bestDistance);
            if (d < bestDistance) {
                bestDistance = d;
                best = s;
            }
        }
        return best;
    }

    /** Levenshtein distance; keys are short (a config line's key is cut at 64 characters first). */
    static int distance(String a, String b) {
        return distance(a, b, Integer.MAX_VALUE);
    }

    /** The distance, or any value >= {@code limit} once it cannot be below it (a whole row of the table reached it). */
    static int distance(String a, String b, int limit) {
        a = a.length() > 64 ? a.substring(0, 64) : a;
        if (Math.abs(a.length() - b.length()) >= limit) {
            return limit; // the distance is at least the difference in length
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin >= limit) {
                return limit; // every later row is at least this row's minimum
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static final java.util.Map<String, Setting> BY_KEY = new java.util.HashMap<>();

    static {
        for (Setting s : values()) {
            BY_KEY.put(s.key, s);
        }
    }

    /** The setting a config-file key names, or null: one hash lookup per line of a config file. */
    public static Setting byKey(String key) {
        return BY_KEY.get(key);
    }

    /** Whether {@code whole} starts with {@code prefix}, compared char by char. */
    private static boolean startsWith(String whole, String prefix) {
        if (prefix.length() > whole.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (whole.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
