package p2pool4j.bitcoind;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
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
 * Turns a getblocktemplate JSON answer into a {@link Template}, checking every field we rely on.
 * Rules we understand are accepted; an unknown rule marked '!' (which BIP9 says we must
 * understand) refuses the template, an unknown rule without '!' is ignored. The reference P2Pool
 * refuses taproot here; we do not.
 *
 * <p>Consecutive templates on one tip list mostly the same transactions. A transaction whose hex is
 * byte for byte one the previous template already holds reuses that entry: its bytes and ids are
 * shared instead of decoded, parsed and hashed again, so the jobs of a few work generations pin
 * one copy of the mempool's bytes, not one per generation. The answer's {@code txid} only says
 * where to look; the bytes are compared, so nothing is trusted that was not checked before.
 */
public final class TemplateParser {
    public static final Set<String> KNOWN_RULES = Set.of("segwit", "csv", "taproot", "testdummy");
    private static final int MAX_TRANSACTIONS = 100_000;

    private TemplateParser() {}

    public static Template parse(Object result) {
        return parse(result, null);
    }

    /** @param previous the template this one follows, whose transactions may be reused; null for none */
    public static Template parse(Object result, Template previous) {
        if (!(result instanceof JsonObject j)) {
            throw bad("getblocktemplate did not return an object");
        }
        try {
            Set<String> rules = new LinkedHashSet<>();
            JsonArray rulesJson = j.getJsonArray("rules", new JsonArray());
            for (Object r : rulesJson) {
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
            byte[] aux = new byte[0];
            JsonObject auxJson = j.getJsonObject("coinbaseaux");
            if (auxJson != null && auxJson.getValue("flags") instanceof String f) {
                aux = Hex.decode(f);
            }
            JsonArray txsJson = j.getJsonArray("transactions", new JsonArray());
            if (txsJson.size() > MAX_TRANSACTIONS) {
                throw bad("too many transactions in template");
            }
            Map<Sha256Hash, TemplateTx> known = known(previous);
            List<TemplateTx> txs = new ArrayList<>(txsJson.size());
            for (Object o : txsJson) {
                if (!(o instanceof JsonObject t)) {
                    throw bad("transaction entries must be objects");
                }
                String hex = str(t, "data");
                TemplateTx same = t.getValue("txid") instanceof String s ? known.get(Sha256Hash.fromDisplayHex(s)) : null;
                if (same != null && Hex.matches(hex, same.data())) {
                    long fee = t.getValue("fee") instanceof Number n ? n.longValue() : 0;
                    long weight = t.getValue("weight") instanceof Number n ? n.longValue() : same.weight();
                    txs.add(fee == same.fee() && weight == same.weight() ? same
                            : new TemplateTx(same.data(), same.txid(), same.wtxid(), fee, weight));
                    continue;
                }
                byte[] data = Hex.decode(hex);
                Transaction tx = Transaction.parse(data);
                Sha256Hash txid = tx.txid();
                if (t.getValue("txid") instanceof String s && !Sha256Hash.fromDisplayHex(s).equals(txid)) {
                    throw bad("template txid does not match its data");
                }
                long fee = t.getValue("fee") instanceof Number n ? n.longValue() : 0;
                long weight = t.getValue("weight") instanceof Number n ? n.longValue() : tx.weight();
                // Without a witness the two ids are one hash: held once, not computed and kept twice.
                txs.add(new TemplateTx(data, txid, tx.hasWitness() ? tx.wtxid() : txid, fee, weight));
            }
            Optional<byte[]> commitment = j.getValue("default_witness_commitment") instanceof String c
                    ? Optional.of(Hex.decode(c)) : Optional.empty();
            String longPollId = j.getValue("longpollid") instanceof String s ? s : null;
            return new Template(version, prev, height, bits, curTime, minTime, coinbaseValue, aux, txs, rules,
                    longPollId, commitment);
        } catch (ParseException | ClassCastException | NumberFormatException e) {
            throw bad("malformed getblocktemplate answer: " + e.getMessage());
        }
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

    private static String str(JsonObject j, String key) {
        if (!(j.getValue(key) instanceof String s)) {
            throw bad("missing string field " + key);
        }
        return s;
    }

    private static long nonNegative(JsonObject j, String key) {
        if (!(j.getValue(key) instanceof Number n) || n.longValue() < 0 || n instanceof Double || n instanceof Float) {
            throw bad("missing or negative integer field " + key);
        }
        return n.longValue();
    }

    private static long u32(JsonObject j, String key) {
        long v = nonNegative(j, key);
        if (v > 0xffffffffL) {
            throw bad(key + " out of range");
        }
        return v;
    }
}
