package p2pool4j.sharechain;

import java.math.BigInteger;
import p2pool4j.bitcoin.BlockHeader;
import p2pool4j.bitcoin.ByteReader;
import p2pool4j.bitcoin.Merkle;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Targets;

/**
 * A share as received or produced, with the values derived from it (protocol spec 5.3). Loading
 * runs the receipt checks of section 10.1 in the spec's order; the chain checks of 10.2 are
 * {@link ShareCheck}'s. Immutable.
 */
public final class Share implements ChainShare {
    /** Mainnet: desired_version 16 is refused above this absheight (10.1 step 5). */
    static final long V16_CUTOFF_ABSHEIGHT = 3_927_800L;

    private final P2poolNetwork net;
    private final ShareVersion version;
    private final ShareContents contents;
    private final byte[] rawContents;
    private final Sha256Hash refHash;
    private final Sha256Hash gentxHash;
    private final BlockHeader header;
    private final Sha256Hash hash;
    private final BigInteger target;
    private final BigInteger maxTarget;
    private final BigInteger work;
    private final BigInteger minWork;
    private final boolean blockSolution;
    private final String payoutKey;
    private final byte[] payoutScript;

    private Share(P2poolNetwork net, ShareVersion version, ShareContents c, byte[] raw, String payoutKey, byte[] payoutScript) {
        this.net = net;
        this.version = version;
        this.contents = c;
        this.rawContents = raw;
        this.payoutKey = payoutKey;
        this.payoutScript = payoutScript;
        ShareInfo info = c.shareInfo();
        this.refHash = GentxBuilder.refHash(net, version, info, c.refMerkleBranch());
        this.gentxHash = HashLinks.gentxHash(c.hashLink(), refHash, c.lastTxoutNonce());
        Sha256Hash merkleRoot = Merkle.fold(gentxHash,
                version.segwitActive(net) ? info.segwitData().txidMerkleBranch() : c.merkleBranch(), 0);
        SmallHeader mh = c.minHeader();
        this.header = new BlockHeader(mh.version(), mh.previousBlock(), merkleRoot, mh.timestamp(), mh.bits(), mh.nonce());
        this.hash = header.hash();
        this.target = Targets.fromBits(info.bits());
        this.maxTarget = Targets.fromBits(info.maxBits());
        this.work = Targets.attempts(target);
        this.minWork = Targets.attempts(maxTarget);
        this.blockSolution = hash.toBigInteger().compareTo(Targets.fromBits(c.minHeader().bits())) <= 0;
    }

    @Override
    public BigInteger work() {
        return work;
    }

    @Override
    public BigInteger minWork() {
        return minWork;
    }

    /** Loads one element of a {@code shares} message (varint type, var_str contents). */
    public static Share loadWrapped(P2poolNetwork net, byte[] wrapped) throws ShareException {
        ByteReader r = new ByteReader(wrapped);
        long type;
        byte[] contents;
        try {
            type = r.varint();
            contents = r.varStr(32_000_000);
            r.expectEnd("share wrapper");
        } catch (ParseException e) {
            throw new ShareException(Rejection.MALFORMED, e.getMessage());
        }
        return load(net, type, contents);
    }

    /** Parses and checks a share's contents (10.1). */
    public static Share load(P2poolNetwork net, long type, byte[] contents) throws ShareException {
        if (type >= 0 && type < 17) {
            throw new ShareException(Rejection.OBSOLETE_TYPE, "type " + type);
        }
        ShareVersion v = ShareVersion.of(type);
        if (v == null) {
            throw new ShareException(Rejection.UNKNOWN_TYPE, "unknown share type: " + Long.toUnsignedString(type));
        }
        ShareContents c;
        try {
            c = ShareCodec.parse(contents, v, net);
        } catch (ParseException e) {
            throw new ShareException(Rejection.MALFORMED, e.getMessage());
        }
        return check(net, v, c, contents.clone());
    }

    /**
     * Decodes and derives without the receipt checks, for inspection and diagnostics only: the
     * result may be a share the network refuses. Throws MALFORMED/UNKNOWN_TYPE when it cannot be read.
     */
    public static Share decodeForInspection(P2poolNetwork net, long type, byte[] contents) throws ShareException {
        ShareVersion v = ShareVersion.of(type);
        if (v == null) {
            throw new ShareException(Rejection.UNKNOWN_TYPE, "unknown share type: " + Long.toUnsignedString(type));
        }
        try {
            ShareContents c = ShareCodec.parse(contents, v, net);
            ShareData d = c.shareInfo().shareData();
            String key = v.carriesAddress() ? d.address() : PayoutScripts.keyOfPubkeyHash(d.pubkeyHash(), net.chain());
            return new Share(net, v, c, contents.clone(), key, new byte[0]);
        } catch (ParseException e) {
            throw new ShareException(Rejection.MALFORMED, e.getMessage());
        }
    }

    /** Wraps contents we built ourselves; runs the same receipt checks. */
    public static Share of(P2poolNetwork net, ShareVersion v, ShareContents c) throws ShareException {
        return check(net, v, c, ShareCodec.write(c, v, net));
    }

    private static Share check(P2poolNetwork net, ShareVersion v, ShareContents c, byte[] raw) throws ShareException {
        ShareInfo info = c.shareInfo();
        ShareData d = info.shareData();
        int cb = d.coinbase().length;
        if (cb < 2 || cb > 100) {
            throw new ShareException(Rejection.BAD_COINBASE_SIZE, "bad coinbase size! " + cb + " bytes");
        }
        String key;
        byte[] script;
        try {
            if (v.carriesAddress()) {
                key = d.address();
                script = PayoutScripts.script(key, v.paddingFix(), net.chain());
            } else {
                key = PayoutScripts.keyOfPubkeyHash(d.pubkeyHash(), net.chain());
                script = p2pool4j.bitcoin.Script.p2pkh(d.pubkeyHash());
            }
        } catch (ParseException e) {
            throw new ShareException(Rejection.BAD_ADDRESS, e.getMessage());
        }
        if (net == P2poolNetwork.MAIN && info.absheight() > V16_CUTOFF_ABSHEIGHT && d.desiredVersion() == 16) {
            throw new ShareException(Rejection.OBSOLETE_DESIRED_VERSION, null);
        }
        if (v.carriesTransactionRefs()) {
            checkRefs(info);
        }
        Share s;
        try {
            s = new Share(net, v, c, raw, key, script);
        } catch (ParseException e) {
            throw new ShareException(Rejection.MALFORMED, e.getMessage());
        }
        if (s.target.compareTo(net.maxTarget()) > 0) {
            throw new ShareException(Rejection.TARGET_ABOVE_MAX, "bits " + Long.toHexString(info.bits()));
        }
        if (s.hash.toBigInteger().compareTo(s.target) > 0) {
            throw new ShareException(Rejection.POW_INVALID, s.hash.toString());
        }
        return s;
    }

    private static void checkRefs(ShareInfo info) throws ShareException {
        int n = info.newTransactionHashes().size();
        boolean[] seen = new boolean[n];
        int own = 0;
        for (TxRef ref : info.transactionHashRefs()) {
            if (ref.shareCount() < 0 || ref.shareCount() >= 110) {
                throw new ShareException(Rejection.BAD_TRANSACTION_REFS, "share_count " + ref.shareCount());
            }
            if (ref.shareCount() == 0) {
                if (ref.txCount() < 0 || ref.txCount() >= n) {
                    throw new ShareException(Rejection.BAD_TRANSACTION_REFS, "tx_count out of range");
                }
                if (!seen[(int) ref.txCount()]) {
                    seen[(int) ref.txCount()] = true;
                    own++;
                }
            }
        }
        if (own != n) {
            throw new ShareException(Rejection.BAD_TRANSACTION_REFS, "new transactions not all referenced");
        }
    }

    public P2poolNetwork net() {
        return net;
    }

    public ShareVersion shareVersion() {
        return version;
    }

    public ShareContents contents() {
        return contents;
    }

    public ShareInfo shareInfo() {
        return contents.shareInfo();
    }

    /** The contents exactly as they travel (a copy). */
    public byte[] rawContents() {
        return rawContents.clone();
    }

    /** One element of a shares message. */
    public byte[] wrapped() {
        return ShareCodec.wrap(version.number(), rawContents);
    }

    public Sha256Hash refHash() {
        return refHash;
    }

    public Sha256Hash gentxHash() {
        return gentxHash;
    }

    public BlockHeader header() {
        return header;
    }

    /** The share id: the block header's hash. */
    @Override
    public Sha256Hash hash() {
        return hash;
    }

    /** POW_FUNC is sha256d for Bitcoin: the same value as {@link #hash()}. */
    public Sha256Hash powHash() {
        return hash;
    }

    @Override
    public Sha256Hash previousHash() {
        return contents.shareInfo().shareData().previousShareHash();
    }

    @Override
    public BigInteger target() {
        return target;
    }

    @Override
    public BigInteger maxTarget() {
        return maxTarget;
    }

    public BigInteger blockTarget() {
        return Targets.fromBits(contents.minHeader().bits());
    }

    /** True when the share also meets the Bitcoin target: it is a block. */
    public boolean isBlockSolution() {
        return blockSolution;
    }

    @Override
    public long timestamp() {
        return contents.shareInfo().timestamp();
    }

    @Override
    public String payoutKey() {
        return payoutKey;
    }

    /** The script this share's own payout key converts to under its version's rule. */
    public byte[] payoutScript() {
        return payoutScript.clone();
    }

    @Override
    public int donation() {
        return contents.shareInfo().shareData().donation();
    }

    @Override
    public long desiredVersion() {
        return contents.shareInfo().shareData().desiredVersion();
    }

    @Override
    public int version() {
        return version.number();
    }

    @Override
    public long absheight() {
        return contents.shareInfo().absheight();
    }

    @Override
    public BigInteger abswork() {
        return contents.shareInfo().abswork();
    }

    @Override
    public String toString() {
        return "Share[v" + version.number() + " " + hash + "]";
    }
}
