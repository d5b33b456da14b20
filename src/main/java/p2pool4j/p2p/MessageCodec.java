package p2pool4j.p2p;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import p2pool4j.bitcoin.BlockHeader;
import p2pool4j.bitcoin.ByteReader;
import p2pool4j.bitcoin.ByteWriter;
import p2pool4j.bitcoin.FrameCodec;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Transaction;

/**
 * Payloads of every P2Pool message, byte-exact with the reference (messages.json), with a
 * payload cap per command that the frame reader applies before reading a payload. Unknown
 * commands decode to null (ignored, for forward compatibility).
 */
public final class MessageCodec {
    public static final int MAX_PAYLOAD = 32_000_000;
    static final int MAX_ADDRS = 1_000;
    static final int MAX_SHARES_PER_MESSAGE = 100_000;
    static final int MAX_HASHES = 100_000;
    static final int MAX_SUB_VERSION = 4_096;

    private MessageCodec() {}

    /** The largest payload accepted for {@code command}; checked before the payload is read. */
    public static int maxPayload(String command) {
        return switch (command) {
            case "version" -> 8 + 8 + 26 + 26 + 8 + 5 + MAX_SUB_VERSION + 4 + 32;
            case "ping" -> 0;
            case "addrme" -> 2;
            case "getaddrs" -> 4;
            case "addrs" -> 9 + MAX_ADDRS * 34;
            case "sharereq" -> 32 + 9 + 2 * (9 + 32 * 2_000) + 9;
            case "bestblock" -> 80;
            case "have_tx", "losing_tx", "forget_tx" -> 9 + 32 * MAX_HASHES;
            default -> MAX_PAYLOAD; // shares, sharereply, remember_tx, and unknown commands (skipped)
        };
    }

    /** A frame codec for a network's prefix with the per-command caps. */
    public static FrameCodec frames(byte[] prefix) {
        return new FrameCodec(prefix, MAX_PAYLOAD, MessageCodec::maxPayload);
    }

    public static Message decode(String command, byte[] payload) {
        ByteReader r = new ByteReader(payload);
        Message m = switch (command) {
            case "version" -> new Message.Version(r.u32le(), r.u64le(), NetAddress.read(r), NetAddress.read(r), r.u64le(),
                    new String(r.varStr(MAX_SUB_VERSION), StandardCharsets.ISO_8859_1), r.u32le(), noneIfZero(r.hash()));
            case "ping" -> new Message.Ping();
            case "addrme" -> new Message.AddrMe(r.u16le());
            case "addrs" -> {
                int n = r.count(34, MAX_ADDRS);
                List<Message.AddrRecord> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(new Message.AddrRecord(r.u64le(), NetAddress.read(r)));
                }
                yield new Message.Addrs(list);
            }
            case "getaddrs" -> new Message.GetAddrs(r.u32le());
            case "shares" -> new Message.Shares(shares(r));
            case "sharereq" -> new Message.ShareReq(r.hash(), hashes(r), r.varint(), hashes(r));
            case "sharereply" -> {
                Sha256Hash id = r.hash();
                long result = r.varint();
                if (result < 0 || result > 6) {
                    throw new ParseException("sharereply result " + Long.toUnsignedString(result) + " is not a known value");
                }
                yield new Message.ShareReply(id, (int) result, shares(r));
            }
            case "bestblock" -> new Message.BestBlock(BlockHeader.read(r));
            case "have_tx" -> new Message.HaveTx(hashes(r));
            case "losing_tx" -> new Message.LosingTx(hashes(r));
            case "forget_tx" -> new Message.ForgetTx(hashes(r));
            case "remember_tx" -> {
                List<Sha256Hash> h = hashes(r);
                int n = r.count(10, MAX_HASHES);
                List<Transaction> txs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    txs.add(Transaction.read(r));
                }
                yield new Message.RememberTx(h, txs);
            }
            default -> null;
        };
        if (m != null) {
            r.expectEnd(command);
        }
        return m;
    }

    private static Sha256Hash noneIfZero(Sha256Hash h) {
        return h.isZero() ? null : h;
    }

    private static List<Sha256Hash> hashes(ByteReader r) {
        int n = r.count(32, MAX_HASHES);
        List<Sha256Hash> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(r.hash());
        }
        return out;
    }

    private static List<Message.RawShare> shares(ByteReader r) {
        int n = r.count(2, MAX_SHARES_PER_MESSAGE);
        List<Message.RawShare> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Message.RawShare(r.varint(), r.varStr(MAX_PAYLOAD)));
        }
        return out;
    }

    public static byte[] encode(Message m) {
        ByteWriter w = new ByteWriter(128);
        if (m instanceof Message.Version v) {
            w.u32le(v.version()).u64le(v.services());
            v.addrTo().write(w);
            v.addrFrom().write(w);
            w.u64le(v.nonce()).varStr(v.subVersion().getBytes(StandardCharsets.ISO_8859_1)).u32le(v.mode())
                    .hash(v.bestShareHash() == null ? Sha256Hash.ZERO : v.bestShareHash());
        } else if (m instanceof Message.AddrMe a) {
            w.u16le(a.port());
        } else if (m instanceof Message.Addrs a) {
            w.varint(a.addrs().size());
            for (Message.AddrRecord rec : a.addrs()) {
                w.u64le(rec.timestamp());
                rec.address().write(w);
            }
        } else if (m instanceof Message.GetAddrs g) {
            w.u32le(g.count());
        } else if (m instanceof Message.Shares s) {
            shares(w, s.shares());
        } else if (m instanceof Message.ShareReq q) {
            w.hash(q.id());
            hashes(w, q.hashes());
            w.varint(q.parents());
            hashes(w, q.stops());
        } else if (m instanceof Message.ShareReply q) {
            w.hash(q.id()).varint(q.result());
            shares(w, q.shares());
        } else if (m instanceof Message.BestBlock b) {
            b.header().write(w);
        } else if (m instanceof Message.HaveTx h) {
            hashes(w, h.txHashes());
        } else if (m instanceof Message.LosingTx h) {
            hashes(w, h.txHashes());
        } else if (m instanceof Message.ForgetTx h) {
            hashes(w, h.txHashes());
        } else if (m instanceof Message.RememberTx rt) {
            hashes(w, rt.txHashes());
            w.varint(rt.txs().size());
            for (Transaction tx : rt.txs()) {
                tx.write(w, true);
            }
        } // Ping: empty payload
        return w.toByteArray();
    }

    private static void hashes(ByteWriter w, List<Sha256Hash> list) {
        w.varint(list.size());
        for (Sha256Hash h : list) {
            w.hash(h);
        }
    }

    private static void shares(ByteWriter w, List<Message.RawShare> list) {
        w.varint(list.size());
        for (Message.RawShare s : list) {
            w.varint(s.type()).varStr(s.contents());
        }
    }
}
