package p2pool4j.sharechain;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import p2pool4j.bitcoin.ByteReader;
import p2pool4j.bitcoin.ByteWriter;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * Byte-exact share contents for versions 17, 32, 33, 34 and 35 (protocol spec 5.2). Reading is
 * bounded: every list and string is checked against its limit and the remaining input first.
 */
public final class ShareCodec {
    static final int MAX_BRANCH = 64;
    static final int MAX_COINBASE_READ = 10_000;
    static final int MAX_ADDRESS = 256;
    static final int MAX_NEW_TX_HASHES = 100_000;
    private static final byte[] ABSENT_WTXID_ROOT = new byte[32];

    static {
        java.util.Arrays.fill(ABSENT_WTXID_ROOT, (byte) 0xff);
    }

    private ShareCodec() {}

    public static ShareContents read(ByteReader r, ShareVersion v, P2poolNetwork net) {
        long hv = r.varint();
        if (hv < 0 || hv > 0xffffffffL) {
            throw new ParseException("min_header version does not fit u32");
        }
        SmallHeader mh = new SmallHeader(hv, r.hash(), r.u32le(), r.u32le(), r.u32le());
        ShareInfo info = readShareInfo(r, v, net);
        List<Sha256Hash> refBranch = hashes(r, MAX_BRANCH);
        long nonce = r.u64le();
        HashLink link = new HashLink(r.bytes(32), r.varint());
        if (link.length() < 0) {
            throw new ParseException("hash_link length out of range");
        }
        List<Sha256Hash> merkle = hashes(r, MAX_BRANCH);
        return new ShareContents(mh, info, refBranch, nonce, link, merkle);
    }

    public static ShareContents parse(byte[] contents, ShareVersion v, P2poolNetwork net) {
        ByteReader r = new ByteReader(contents);
        ShareContents c = read(r, v, net);
        r.expectEnd("share contents");
        return c;
    }

    static ShareInfo readShareInfo(ByteReader r, ShareVersion v, P2poolNetwork net) {
        Sha256Hash prev = noneIfZero(r.hash());
        byte[] coinbase = r.varStr(MAX_COINBASE_READ);
        long nonce = r.u32le();
        String address = null;
        byte[] pubkeyHash = null;
        if (v.carriesAddress()) {
            byte[] a = r.varStr(MAX_ADDRESS);
            for (byte b : a) {
                if (b < 0x20 || b > 0x7e) {
                    throw new ParseException("address is not printable ASCII");
                }
            }
            address = new String(a, StandardCharsets.US_ASCII);
        } else {
            pubkeyHash = r.bytes(20);
        }
        long subsidy = r.u64le();
        int donation = r.u16le();
        int stale = r.u8();
        long desired = r.varint();
        ShareData data = new ShareData(prev, coinbase, nonce, address, pubkeyHash, subsidy, donation, stale, desired);
        SegwitData segwit = null;
        if (v.segwitActive(net)) {
            List<Sha256Hash> branch = hashes(r, MAX_BRANCH);
            byte[] root = r.bytes(32);
            if (branch.isEmpty() && java.util.Arrays.equals(root, ABSENT_WTXID_ROOT)) {
                throw new ParseException("segwit_data absent where the share version requires it");
            }
            segwit = new SegwitData(branch, Sha256Hash.wrap(root));
        }
        List<Sha256Hash> newTx = List.of();
        List<TxRef> refs = List.of();
        if (v.carriesTransactionRefs()) {
            newTx = hashes(r, MAX_NEW_TX_HASHES);
            long pairs = r.varint();
            if (pairs < 0 || pairs > r.remaining() / 2) {
                throw new ParseException("transaction_hash_refs count larger than the input");
            }
            List<TxRef> list = new ArrayList<>((int) pairs);
            for (long i = 0; i < pairs; i++) {
                list.add(new TxRef(r.varint(), r.varint()));
            }
            refs = list;
        }
        Sha256Hash far = noneIfZero(r.hash());
        long maxBits = r.u32le();
        long bits = r.u32le();
        long timestamp = r.u32le();
        long absheight = r.u32le();
        BigInteger abswork = r.uintLE(16);
        return new ShareInfo(data, segwit, newTx, refs, far, maxBits, bits, timestamp, absheight, abswork);
    }

    private static Sha256Hash noneIfZero(Sha256Hash h) {
        return h.isZero() ? null : h;
    }

    private static List<Sha256Hash> hashes(ByteReader r, int max) {
        int n = r.count(32, max);
        List<Sha256Hash> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(r.hash());
        }
        return out;
    }

    public static byte[] write(ShareContents c, ShareVersion v, P2poolNetwork net) {
        ByteWriter w = new ByteWriter(512);
        SmallHeader mh = c.minHeader();
        w.varint(mh.version()).hash(mh.previousBlock()).u32le(mh.timestamp()).u32le(mh.bits()).u32le(mh.nonce());
        writeShareInfo(w, c.shareInfo(), v, net);
        hashes(w, c.refMerkleBranch());
        w.u64le(c.lastTxoutNonce());
        w.bytes(c.hashLink().state()).varint(c.hashLink().length());
        hashes(w, c.merkleBranch());
        return w.toByteArray();
    }

    /** share_info as it is hashed into ref_hash (fields 6-22 of the version's layout). */
    public static byte[] shareInfoBytes(ShareInfo info, ShareVersion v, P2poolNetwork net) {
        ByteWriter w = new ByteWriter(256);
        writeShareInfo(w, info, v, net);
        return w.toByteArray();
    }

    static void writeShareInfo(ByteWriter w, ShareInfo info, ShareVersion v, P2poolNetwork net) {
        ShareData d = info.shareData();
        w.hash(orZero(d.previousShareHash())).varStr(d.coinbase()).u32le(d.nonce());
        if (v.carriesAddress()) {
            w.varStr(d.address().getBytes(StandardCharsets.US_ASCII));
        } else {
            w.bytes(d.pubkeyHash());
        }
        w.u64le(d.subsidy()).u16le(d.donation()).u8(d.staleInfo()).varint(d.desiredVersion());
        if (v.segwitActive(net)) {
            SegwitData s = info.segwitData();
            hashes(w, s.txidMerkleBranch());
            w.hash(s.wtxidMerkleRoot());
        }
        if (v.carriesTransactionRefs()) {
            hashes(w, info.newTransactionHashes());
            w.varint(info.transactionHashRefs().size());
            for (TxRef ref : info.transactionHashRefs()) {
                w.varint(ref.shareCount()).varint(ref.txCount());
            }
        }
        w.hash(orZero(info.farShareHash())).u32le(info.maxBits()).u32le(info.bits()).u32le(info.timestamp())
                .u32le(info.absheight()).uintLE(info.abswork(), 16);
    }

    private static Sha256Hash orZero(Sha256Hash h) {
        return h == null ? Sha256Hash.ZERO : h;
    }

    private static void hashes(ByteWriter w, List<Sha256Hash> list) {
        w.varint(list.size());
        for (Sha256Hash h : list) {
            w.hash(h);
        }
    }

    /** One element of a {@code shares} message: varint type, then the contents as var_str. */
    public static byte[] wrap(int type, byte[] contents) {
        return new ByteWriter(contents.length + 8).varint(type).varStr(contents).toByteArray();
    }
}
