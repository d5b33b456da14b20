package p2pool4j.stratum;

import io.vertx.core.json.JsonArray;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.ParseException;

/**
 * mining.submit's params as read (miner spec 3.6): job id, extranonce2 bytes, ntime, nonce and
 * the optional version bits as unsigned 32-bit values. Whether they fit the job (its extranonce2
 * size, ntime range, version mask) is the session's check, in the spec's order.
 */
record SubmitParams(String jobId, byte[] extranonce2, long ntime, long nonce, long versionBits) {
    /** Longer than any job id or extranonce2 we hand out: refused before decoding. */
    static final int MAX_FIELD = 64;

    static SubmitParams parse(JsonArray params, Object id) throws StratumRefusal {
        if (params.size() < 5) {
            throw malformed(id);
        }
        String jobId = String.valueOf(params.getValue(1));
        String en2 = String.valueOf(params.getValue(2));
        if (jobId.length() > MAX_FIELD || en2.length() > MAX_FIELD) {
            throw malformed(id);
        }
        try {
            byte[] extranonce2 = Hex.decode(en2);
            long ntime = u32(params.getValue(3));
            long nonce = u32(params.getValue(4));
            long versionBits = params.size() > 5 && params.getValue(5) instanceof String vb ? u32(vb) : 0;
            return new SubmitParams(jobId, extranonce2, ntime, nonce, versionBits);
        } catch (ParseException | NumberFormatException e) {
            throw malformed(id);
        }
    }

    private static long u32(Object hex) {
        String s = String.valueOf(hex);
        if (s.isEmpty() || s.length() > 8 || s.charAt(0) == '-' || s.charAt(0) == '+') {
            throw new NumberFormatException();
        }
        return Long.parseLong(s, 16);
    }

    private static StratumRefusal malformed(Object id) {
        return new StratumRefusal("malformed_submit", 20, "Invalid parameters", id, false);
    }
}
