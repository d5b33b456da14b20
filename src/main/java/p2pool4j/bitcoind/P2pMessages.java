package p2pool4j.bitcoind;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import p2pool4j.bitcoin.BlockHeader;
import p2pool4j.bitcoin.ByteReader;
import p2pool4j.bitcoin.ByteWriter;
import p2pool4j.bitcoin.Sha256Hash;

/** Payloads of the few Bitcoin P2P messages the link to bitcoind uses. Pure codecs with limits. */
public final class P2pMessages {
    public static final int PROTOCOL_VERSION = 70015;
    public static final int MSG_TX = 1;
    public static final int MSG_BLOCK = 2;
    public static final int MSG_WITNESS_BLOCK = 0x40000002;
    public static final int MAX_INV = 50_000;
    public static final int MAX_HEADERS = 2_000;

    /** An inventory vector. */
    public record Inv(long type, Sha256Hash hash) {}

    /** What we keep of the peer's version message. */
    public record Version(long protocol, long services, String userAgent, long startHeight) {}

    private P2pMessages() {}

    /** BIP144: we can serve the witness form of the blocks we announce. */
    public static final long NODE_WITNESS = 8;

    /**
     * Our version: NODE_WITNESS only (we serve no chain, but nodes such as bcoin ignore block
     * announcements from peers without it), relay=false so bitcoind sends no transaction
     * announcements, only blocks.
     */
    public static byte[] version(long nowSeconds, long nonce, String userAgent) {
        ByteWriter w = new ByteWriter(128);
        w.u32le(PROTOCOL_VERSION).u64le(NODE_WITNESS).u64le(nowSeconds);
        netAddr(w);
        netAddr(w);
        w.u64le(nonce).varStr(userAgent.getBytes(StandardCharsets.US_ASCII)).u32le(0).u8(0);
        return w.toByteArray();
    }

    private static void netAddr(ByteWriter w) {
        w.u64le(0).bytes(new byte[10]).u8(0xff).u8(0xff).bytes(new byte[] {127, 0, 0, 1}).u16be(0);
    }

    public static Version parseVersion(byte[] payload) {
        ByteReader r = new ByteReader(payload);
        long protocol = r.u32le();
        long services = r.u64le();
        r.u64le(); // timestamp
        r.bytes(26);
        r.bytes(26);
        r.u64le(); // nonce
        String ua = new String(r.varStr(256), StandardCharsets.US_ASCII);
        long height = r.remaining() >= 4 ? r.u32le() : 0;
        return new Version(protocol, services, ua, height); // relay flag and later fields ignored
    }

    public static byte[] nonce(long n) {
        return new ByteWriter(8).u64le(n).toByteArray();
    }

    public static List<Inv> parseInv(byte[] payload) {
        ByteReader r = new ByteReader(payload);
        int n = r.count(36, MAX_INV);
        List<Inv> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Inv(r.u32le(), r.hash()));
        }
        r.expectEnd("inv");
        return out;
    }

    public static byte[] inv(List<Inv> items) {
        ByteWriter w = new ByteWriter(1 + 36 * items.size());
        w.varint(items.size());
        for (Inv i : items) {
            w.u32le(i.type()).hash(i.hash());
        }
        return w.toByteArray();
    }

    public static List<BlockHeader> parseHeaders(byte[] payload) {
        ByteReader r = new ByteReader(payload);
        int n = r.count(81, MAX_HEADERS);
        List<BlockHeader> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(BlockHeader.read(r));
            r.varint(0); // transaction count, always 0 in headers
        }
        r.expectEnd("headers");
        return out;
    }

    public static byte[] headers(List<BlockHeader> headers) {
        ByteWriter w = new ByteWriter(1 + 81 * headers.size());
        w.varint(headers.size());
        for (BlockHeader h : headers) {
            h.write(w);
            w.varint(0);
        }
        return w.toByteArray();
    }
}
