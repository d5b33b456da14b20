package p2pool4j.sharechain;

import java.math.BigInteger;
import p2pool4j.bitcoin.Base58;
import p2pool4j.bitcoin.Bech32;
import p2pool4j.bitcoin.ByteWriter;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoin.Script;

/**
 * Payout key text to output script exactly as the reference does it (protocol spec 7.3), bugs
 * included, because peers rebuild our gentx byte for byte: bech32m is refused, every witness
 * program is written behind OP_0 whatever its version, and the program goes through an integer so
 * v34 drops leading zero bytes (and fails on a leading zero nibble) while v35 pads to 20 bytes.
 * This is not the standard address script; {@link p2pool4j.bitcoin.Address#script()} is.
 */
public final class PayoutScripts {
    /**
     * Every gentx rebuild converts every payout key in the PPLNS window again; decoding dominated
     * verification, so results (and failures) are memoized. Pure function, bounded memo.
     */
    private static final int MEMO_LIMIT = 20_000;
    private static final java.util.concurrent.ConcurrentHashMap<MemoKey, Object> MEMO = new java.util.concurrent.ConcurrentHashMap<>();

    private record MemoKey(String key, boolean paddingFix, ChainParams chain) {}

    private PayoutScripts() {}

    /**
     * @param paddingFix true for v35 gentxs, false for v34 (and for the base58 keys of older shares, where it does not matter)
     * @throws ParseException with the reference's reason when the key cannot be paid
     */
    public static byte[] script(String key, boolean paddingFix, ChainParams chain) {
        MemoKey mk = new MemoKey(key, paddingFix, chain);
        Object memo = MEMO.get(mk);
        if (memo == null) {
            try {
                memo = derive(key, paddingFix, chain);
            } catch (ParseException e) {
                memo = e.getMessage();
            }
            if (MEMO.size() >= MEMO_LIMIT) {
                MEMO.clear();
            }
            MEMO.put(mk, memo);
        }
        if (memo instanceof String error) {
            throw new ParseException(error);
        }
        return ((byte[]) memo).clone();
    }

    private static byte[] derive(String key, boolean paddingFix, ChainParams chain) {
        byte[] decoded = null;
        try {
            decoded = Base58.decodeCheck(key);
        } catch (ParseException notBase58) {
            // fall through to bech32
        }
        if (decoded != null && decoded.length == 21) {
            byte[] hash = java.util.Arrays.copyOfRange(decoded, 1, 21);
            int version = decoded[0] & 0xff;
            if (version == chain.addressVersion()) {
                return Script.p2pkh(hash);
            }
            if (version == chain.p2shVersion()) {
                return Script.p2sh(hash);
            }
            throw new ParseException("address not for this net!");
        }
        Bech32.Decoded d;
        try {
            d = Bech32.decode(key);
        } catch (ParseException e) {
            throw new ParseException("invalid addr");
        }
        if (d.variant() != Bech32.Variant.BECH32 || !d.hrp().equals(chain.hrp()) || d.data().length < 1) {
            throw new ParseException("invalid addr");
        }
        int witver = d.data()[0];
        byte[] program;
        try {
            program = Bech32.convertBits(java.util.Arrays.copyOfRange(d.data(), 1, d.data().length), 5, 8, false);
        } catch (ParseException e) {
            throw new ParseException("invalid addr");
        }
        if (witver > 16 || program.length < 2 || program.length > 40
                || (witver == 0 && program.length != 20 && program.length != 32)) {
            throw new ParseException("invalid addr");
        }
        String hex = new BigInteger(1, program).toString(16);
        if (paddingFix && hex.length() < 40) {
            hex = "0".repeat(40 - hex.length()) + hex;
        }
        if ((hex.length() & 1) != 0) {
            throw new ParseException("Odd-length string");
        }
        byte[] push = Hex.decode(hex);
        return new ByteWriter(2 + push.length).u8(0).u8(push.length).bytes(push).toByteArray();
    }

    /** The payout key of a v17/v32/v33 share: the base58 P2PKH text of its pubkey hash. */
    public static String keyOfPubkeyHash(byte[] pubkeyHash, ChainParams chain) {
        return Base58.encodeCheck(chain.addressVersion(), pubkeyHash);
    }
}
