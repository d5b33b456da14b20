package p2pool4j.getwork;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import p2pool4j.bitcoin.BlockHeader;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoin.WordSwap;

/**
 * A getwork JSON-RPC body (miner spec 2): {@code {"method": "getwork", "params": [], "id": N}};
 * an empty body is a getwork without params, as old miners send. Pure, like {@link HttpHead}.
 */
record RpcRequest(Object id, String method, JsonArray params) {
    /** A body that is not a JSON object: answered with JSON-RPC -32700. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static RpcRequest parse(String body) throws Invalid {
        if (body.isBlank()) {
            return new RpcRequest(null, "getwork", new JsonArray());
        }
        try {
            JsonObject o = new JsonObject(body);
            return new RpcRequest(o.getValue("id"), o.getValue("method") instanceof String m ? m : "",
                    o.getValue("params") instanceof JsonArray a ? a : new JsonArray());
        } catch (DecodeException | ClassCastException e) {
            throw new Invalid("Parse error");
        }
    }

    /** The submitted data (getwork's params[0]) when there is some, else null: a request for work. */
    String submittedData() {
        return params.isEmpty() ? null : String.valueOf(params.getValue(0));
    }

    /** Getwork's 128-byte data (hex, 32-bit words byte-swapped) to the block header it carries: its first 80 bytes. */
    static BlockHeader header(String dataHex) throws ParseException {
        if (dataHex.length() > 512) {
            throw new ParseException("getwork data longer than 256 bytes");
        }
        byte[] data = Hex.decode(dataHex);
        if (data.length < 80) {
            throw new ParseException("getwork data shorter than a block header");
        }
        return BlockHeader.parse(WordSwap.swap4(java.util.Arrays.copyOf(data, 80)));
    }
}
