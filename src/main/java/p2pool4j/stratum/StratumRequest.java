package p2pool4j.stratum;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import p2pool4j.bitcoin.Targets;
import p2pool4j.work.Username;

/**
 * One Stratum line as a request, and each {@code mining.*} method's params read from it. Pure: the
 * session decides what to do, this only reads what a stranger sent (and is what the Stratum fuzz
 * test drives). Every refusal is a {@link StratumRefusal}; nothing else is thrown.
 */
record StratumRequest(Object id, String method, JsonArray params) {
    /** User agents are kept for stats; longer ones are cut. */
    static final int MAX_USER_AGENT = 128;

    /**
     * Reads a line (already stripped, never empty). Null for a reply to a request of ours (a
     * line with {@code result} or {@code error} and no method), which needs no answer.
     */
    static StratumRequest parse(String text) throws StratumRefusal {
        StratumRequest simple = RequestScanner.scan(text);
        return simple != null ? simple : parseTree(text);
    }

    /** {@link #parse} through Jackson's tree: every line the scanner leaves, and every refusal. */
    static StratumRequest parseTree(String text) throws StratumRefusal {
        JsonObject msg;
        try {
            msg = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new StratumRefusal("invalid_json", 20, "invalid JSON", null, true);
        }
        Object id = msg.getValue("id");
        if (!validId(id)) {
            throw new StratumRefusal("invalid_id", 20, "Invalid request: id must be a string, a finite number or null", null, false);
        }
        Object method = msg.getValue("method");
        JsonArray params = msg.getValue("params") instanceof JsonArray a ? a : new JsonArray();
        if (!(method instanceof String m)) {
            if (msg.containsKey("result") || msg.containsKey("error")) {
                return null;
            }
            throw new StratumRefusal("no_method", 20, "Invalid request: no method", id, false);
        }
        return new StratumRequest(id, m, params);
    }

    /** JSON-RPC ids we can echo: null, a string, or a finite number (1e400 parses as infinity, which JSON cannot carry). */
    static boolean validId(Object id) {
        if (id == null || id instanceof String || id instanceof Integer || id instanceof Long || id instanceof BigInteger
                || id instanceof java.math.BigDecimal) {
            return true;
        }
        return id instanceof Double d && Double.isFinite(d);
    }

    private Object param(int i) {
        return params.size() > i ? params.getValue(i) : null;
    }

    /** mining.subscribe: the user agent, cut to {@value #MAX_USER_AGENT} characters; null when none is given. */
    String userAgent() {
        return param(0) instanceof String ua ? (ua.length() > MAX_USER_AGENT ? ua.substring(0, MAX_USER_AGENT) : ua) : null;
    }

    /** mining.authorize: [username, password]; any non-blank username. */
    Username authorization() throws StratumRefusal {
        if (!(param(0) instanceof String name) || name.isBlank()) {
            throw new StratumRefusal("bad_authorize", 20, "Invalid params: mining.authorize takes [username, password]", id, false);
        }
        return Username.parse(name, param(1) instanceof String s ? s : "");
    }

    /** mining.suggest_difficulty: a positive finite difficulty, else null (ignored like any unusable hint). */
    Double suggestedDifficulty() {
        return param(0) instanceof Number n ? positive(n.doubleValue()) : null;
    }

    /** mining.suggest_target: a 64-digit hex target as a difficulty, else null. */
    Double suggestedTarget() {
        if (param(0) instanceof String hex && hex.length() == 64) {
            try {
                BigInteger t = new BigInteger(hex, 16);
                return t.signum() > 0 ? positive(Targets.bdiff(t)) : null;
            } catch (NumberFormatException ignored) {
                return null;
            }
        }
        return null;
    }

    /** mining.configure: [[extension, ...], {options}] (BIP 310). */
    record Configure(List<String> extensions, long versionMask, Double minimumDifficulty) {
    }

    /** The extensions asked for (at most 16 kept), the miner's version-rolling mask (all bits when absent or unreadable), its minimum difficulty. */
    Configure configure() {
        List<String> exts = new ArrayList<>();
        if (param(0) instanceof JsonArray a) {
            for (int i = 0; i < a.size() && exts.size() < 16; i++) {
                exts.add(String.valueOf(a.getValue(i)));
            }
        }
        JsonObject opts = param(1) instanceof JsonObject o ? o : new JsonObject();
        long mask = 0xffffffffL;
        if (opts.getValue("version-rolling.mask") instanceof String hex && !hex.isEmpty() && hex.length() <= 8) {
            try {
                mask = Long.parseLong(hex, 16) & 0xffffffffL;
            } catch (NumberFormatException ignored) {
                // treated as no restriction
            }
        }
        Double min = opts.getValue("minimum-difficulty.value") instanceof Number n ? positive(n.doubleValue()) : null;
        return new Configure(List.copyOf(exts), mask, min);
    }

    /** mining.submit: [worker, job id, extranonce2, ntime, nonce, (version bits)], hex fields as sent. */
    SubmitParams submit() throws StratumRefusal {
        return SubmitParams.parse(params, id);
    }

    private static Double positive(double d) {
        return d > 0 && Double.isFinite(d) ? d : null;
    }
}
