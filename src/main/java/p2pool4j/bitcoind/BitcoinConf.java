package p2pool4j.bitcoind;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import p2pool4j.bitcoin.ChainParams;

/**
 * The settings p2pool4j borrows from bitcoin.conf: RPC user/password/port, cookie file and P2P
 * port. Values in the chain's section ([main], [test], [regtest]) override global ones, as in
 * Bitcoin Core. Pure: the caller reads the file.
 */
public final class BitcoinConf {
    private final Map<String, String> values;

    private BitcoinConf(Map<String, String> values) {
        this.values = values;
    }

    public static BitcoinConf parse(String text, ChainParams chain) {
        Map<String, String> global = new HashMap<>();
        Map<String, String> section = new HashMap<>();
        String current = null;
        for (String raw : text.split("\\R", 10_000)) {
            String line = raw.strip();
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash).strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = line.substring(1, line.length() - 1).strip();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (current == null) {
                // "regtest.rpcport=..." style prefixes are also honoured
                int dot = key.indexOf('.');
                if (dot > 0) {
                    if (key.substring(0, dot).equals(chain.rpcChainName())) {
                        section.put(key.substring(dot + 1), value);
                    }
                    continue;
                }
                global.put(key, value);
            } else if (current.equals(chain.rpcChainName())) {
                section.put(key, value);
            }
        }
        Map<String, String> merged = new HashMap<>(global);
        merged.putAll(section);
        return new BitcoinConf(merged);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Optional<Integer> port(String key) {
        return get(key).flatMap(v -> {
            try {
                int p = Integer.parseInt(v);
                return p > 0 && p < 65536 ? Optional.of(p) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
