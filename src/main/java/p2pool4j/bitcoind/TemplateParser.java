package p2pool4j.bitcoind;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Transaction;

/**
 * Turns a getblocktemplate answer into a {@link Template}, checking every field we rely on.
 * Rules we understand are accepted; an unknown rule marked '!' (which BIP9 says we must
 * understand) refuses the template, an unknown rule without '!' is ignored. The reference P2Pool
 * refuses taproot here; we do not.
 *
 * <p>It reads the answer's bytes as a stream ({@link #read}): a mainnet template is megabytes of
 * hex, and a JSON tree of it (a map and three strings a transaction) was most of what a refresh
 * allocated, live while it was parsed, so a young collection mid-parse promoted it. Each
 * transaction's hex goes straight to bytes. Reading never stops half-way through the value: the
 * first problem is remembered, the rest is skipped, and the checks run at the end in one fixed
 * order, so the same answer always gets the same refusal.
 *
 * <p>Consecutive templates on one tip list mostly the same transactions. A transaction whose
 * bytes are exactly one the previous template holds reuses that entry: its bytes and ids are
 * shared instead of parsed and hashed again, so the templates the node keeps for found blocks
 * share one copy of the mempool's bytes. The answer's {@code txid} only says where to look; the
 * bytes are compared, so nothing is trusted that was not checked before.
 */
public final class TemplateParser {
    public static final Set<String> KNOWN_RULES = Set.of("segwit", "csv", "taproot", "testdummy");
    private static final int MAX_TRANSACTIONS = 100_000;
    private static final JsonFactory JSON = new JsonFactory();
    /** A member present as an object or array where a scalar was wanted: every check of it fails. */
    private static final Object UNUSABLE = new Object();

    private TemplateParser() {}

    public static Template parse(Object result) {
        return parse(result, null);
    }

    /** A template already decoded into Vert.x JSON (tests, tools): read from its encoding, by the same checks. */
    public static Template parse(Object result, Template previous) {
        if (!(result instanceof JsonObject j)) {
            throw bad("getblocktemplate did not return an object");
        }
        try (JsonParser p = JSON.createParser(j.toBuffer().getBytes())) {
            p.nextToken();
            return read(p, previous);
        } catch (IOException e) {
            throw bad("malformed getblocktemplate answer: " + e.getMessage());
        }
    }

    /**
     * Reads a template from {@code p}, which stands on the value's first token, and consumes
     * exactly that value (also when it refuses it, so the caller can read on).
     *
     * @param previous the template this one follows, whose transactions may be reused; null for none
     * @throws BitcoindException the template's refusal, once the value is consumed
     * @throws IOException       malformed JSON
     */
    public static Template read(JsonParser p, Template previous) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw bad("getblocktemplate did not return an object");
        }
        Map<String, Object> scalars = new HashMap<>();
        List<Object> rules = null;
        boolean rulesUnusable = false;
        Aux aux = null;
        Txs txs = null;
        Map<Sha256Hash, TemplateTx> known = known(previous);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "rules" -> {
                    rulesUnusable = t != JsonToken.START_ARRAY;
                    if (rulesUnusable) {
                        p.skipChildren();
                    }
                    rules = rulesUnusable ? null : readRules(p);
                }
                case "coinbaseaux" -> aux = readAux(p);
                case "transactions" -> txs = readTransactions(p, known);
                default -> scalars.put(name, scalar(p));
            }
        }
        return build(scalars, rules, rulesUnusable, aux, txs);
    }

    /** In the order the checks have always run: rules, then the header fields, then the transactions. */
    private static Template build(Map<String, Object> j, List<Object> rulesJson, boolean rulesUnusable, Aux aux, Txs txs) {
        if (rulesUnusable) {
            throw bad("malformed getblocktemplate answer: rules is not an array");
        }
        Set<String> rules = new LinkedHashSet<>();
        for (Object r : rulesJson == null ? List.of() : rulesJson) {
            if (!(r instanceof String s)) {
                throw bad("rules must be strings");
            }
            rules.add(s);
            String name = s.startsWith("!") ? s.substring(1) : s;
            if (s.startsWith("!") && !KNOWN_RULES.contains(name)) {
                throw new BitcoindException(BitcoindException.Kind.INCOMPATIBLE,
                        "bitcoind requires rule '" + name + "' which this node does not understand");
            }
        }
        try {
            long version = u32(j, "version");
            Sha256Hash prev = Sha256Hash.fromDisplayHex(str(j, "previousblockhash"));
            long height = nonNegative(j, "height");
            long bits = Long.parseUnsignedLong(str(j, "bits"), 16);
            if (bits > 0xffffffffL) {
                throw bad("bits out of range");
            }
            long curTime = u32(j, "curtime");
            long minTime = j.containsKey("mintime") ? u32(j, "mintime") : 0;
            long coinbaseValue = nonNegative(j, "coinbasevalue");
            if (aux != null && aux.unusable) {
                throw bad("malformed getblocktemplate answer: coinbaseaux is not an object");
            }
            byte[] auxFlags = aux != null && aux.flags instanceof String f ? Hex.decode(f) : new byte[0];
            if (txs != null && txs.problem != null) {
                throw txs.problem;
            }
            Optional<byte[]> commitment = j.get("default_witness_commitment") instanceof String c
                    ? Optional.of(Hex.decode(c)) : Optional.empty();
            String longPollId = j.get("longpollid") instanceof String s ? s : null;
            return new Template(version, prev, height, bits, curTime, minTime, coinbaseValue, auxFlags,
                    txs == null ? List.of() : txs.list, rules, longPollId, commitment);
        } catch (ParseException | NumberFormatException e) {
            throw bad("malformed getblocktemplate answer: " + e.getMessage());
        }
    }

    private static List<Object> readRules(JsonParser p) throws IOException {
        List<Object> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(scalar(p));
        }
        return out;
    }

    private record Aux(boolean unusable, Object flags) {}

    private static Aux readAux(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null; // as if absent
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return new Aux(true, null);
        }
        Object flags = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            Object v = scalar(p);
            if (name.equals("flags")) {
                flags = v;
            }
        }
        return new Aux(false, flags);
    }

    /** The transactions read, or the first problem among them (in their order). */
    private record Txs(List<TemplateTx> list, BitcoindException problem) {}

    private static Txs readTransactions(JsonParser p, Map<Sha256Hash, TemplateTx> known) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return new Txs(List.of(), bad("malformed getblocktemplate answer: transactions is not an array"));
        }
        List<TemplateTx> txs = new ArrayList<>();
        BitcoindException problem = null;
        int count = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (++count > MAX_TRANSACTIONS) {
                problem = bad("too many transactions in template"); // before any entry's own problem, as it was checked first
                p.skipChildren();
                continue;
            }
            if (problem != null) {
                p.skipChildren();
                continue;
            }
            try {
                txs.add(readTransaction(p, known));
            } catch (BitcoindException e) {
                problem = e;
            }
        }
        return new Txs(txs, problem);
    }

    /** One entry, consumed whole; its refusal is thrown only after its closing brace. */
    private static TemplateTx readTransaction(JsonParser p, Map<Sha256Hash, TemplateTx> known) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw bad("transaction entries must be objects");
        }
        byte[] data = null;
        BitcoindException dataProblem = null;
        boolean hasData = false;
        Object claimedTxid = null;
        Object fee = null;
        Object weight = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "data" -> {
                    hasData = t == JsonToken.VALUE_STRING;
                    data = null;
                    dataProblem = null;
                    if (hasData) {
                        try {
                            data = Hex.decode(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                        } catch (ParseException e) {
                            dataProblem = bad("malformed getblocktemplate answer: " + e.getMessage());
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "txid" -> claimedTxid = scalar(p);
                case "fee" -> fee = scalar(p);
                case "weight" -> weight = scalar(p);
                default -> p.skipChildren();
            }
        }
        if (!hasData) {
            throw bad("missing string field data");
        }
        if (dataProblem != null) {
            throw dataProblem;
        }
        long feeSat = fee instanceof Number n ? n.longValue() : 0;
        try {
            Sha256Hash claimed = claimedTxid instanceof String s ? Sha256Hash.fromDisplayHex(s) : null;
            TemplateTx same = claimed == null ? null : known.get(claimed);
            if (same != null && Arrays.equals(data, same.data())) {
                long w = weight instanceof Number n ? n.longValue() : same.weight();
                return feeSat == same.fee() && w == same.weight() ? same : new TemplateTx(same.data(), same.txid(), same.wtxid(), feeSat, w);
            }
            Transaction tx = Transaction.parse(data);
            Sha256Hash txid = tx.txid();
            if (claimed != null && !claimed.equals(txid)) {
                throw bad("template txid does not match its data");
            }
            long w = weight instanceof Number n ? n.longValue() : tx.weight();
            // Without a witness the two ids are one hash: held once, not computed and kept twice.
            return new TemplateTx(data, txid, tx.hasWitness() ? tx.wtxid() : txid, feeSat, w);
        } catch (ParseException e) {
            throw bad("malformed getblocktemplate answer: " + e.getMessage());
        }
    }

    /**
     * A scalar as Vert.x JSON would give it (String, Integer/Long/BigInteger, Double, Boolean, or
     * null), or {@link #UNUSABLE} for an object or array, which it skips.
     */
    private static Object scalar(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> {
                p.skipChildren();
                yield UNUSABLE;
            }
        };
    }

    private static Map<Sha256Hash, TemplateTx> known(Template previous) {
        if (previous == null) {
            return Map.of();
        }
        Map<Sha256Hash, TemplateTx> byTxid = new HashMap<>(previous.transactions().size() * 2);
        for (TemplateTx tx : previous.transactions()) {
            byTxid.put(tx.txid(), tx);
        }
        return byTxid;
    }

    private static BitcoindException bad(String msg) {
        return new BitcoindException(BitcoindException.Kind.BAD_RESPONSE, msg);
    }

    private static String str(Map<String, Object> j, String key) {
        if (!(j.get(key) instanceof String s)) {
            throw bad("missing string field " + key);
        }
        return s;
    }

    /** An integer that fits 64 bits and is not negative: a fraction, a huge number or another type is refused. */
    private static long nonNegative(Map<String, Object> j, String key) {
        if (!(j.get(key) instanceof Number n) || !(n instanceof Integer || n instanceof Long) || n.longValue() < 0) {
            throw bad("missing or negative integer field " + key);
        }
        return n.longValue();
    }

    private static long u32(Map<String, Object> j, String key) {
        long v = nonNegative(j, key);
        if (v > 0xffffffffL) {
            throw bad(key + " out of range");
        }
        return v;
    }
}
