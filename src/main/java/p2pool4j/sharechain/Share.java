package p2pool4j.sharechain;

import java.math.BigInteger;
import java.util.List;
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
 *
 * <p>A share keeps its contents as they travel and only the fields the chain algorithms read;
 * the parsed contents, the header and the gentx hash are rebuilt from those bytes when asked
 * (verification, the web pages, a found block). Holding the parsed form as well cost 4.7 KB a
 * share on 3,000-transaction templates (39 MB for a mainnet-length chain; 1.8 KB and 15 MB now,
 * {@code bench sharechain --txs 3000}): each merkle branch hash took 76 bytes parsed, 32 as bytes.
 */
public final class Share implements ChainShare {
    /** Mainnet: desired_version 16 is refused above this absheight (10.1 step 5). */
    static final long V16_CUTOFF_ABSHEIGHT = 3_927_800L;

    private final P2poolNetwork net;
    private final ShareVersion version;
    private final byte[] rawContents;
    private final Sha256Hash hash;
    private final Sha256Hash previousHash;
    private final Sha256Hash previousBlock;
    private final BitsTargets share;
    private final BitsTargets max;
    private final long blockBits;
    private final boolean blockSolution;
    private final long timestamp;
    private final long absheight;
    private final BigInteger abswork;
    private final String payoutKey;
    private final int donation;
    private final int staleInfo;
    private final long desiredVersion;
    /** Empty from v34 on; v17-v33 shares' refs point into their ancestors' lists (10.2 step 3). */
    private final List<Sha256Hash> newTransactionHashes;

    private Share(P2poolNetwork net, ShareVersion version, ShareContents c, byte[] raw, String payoutKey) {
        this.net = net;
        this.version = version;
        this.rawContents = raw;
        this.payoutKey = payoutKey;
        ShareInfo info = c.shareInfo();
        ShareData d = info.shareData();
        BlockHeader header = header(net, version, c);
        this.hash = header.hash();
        this.previousHash = d.previousShareHash();
        this.previousBlock = c.minHeader().previousBlock();
        this.share = BitsTargets.of(info.bits());
        this.max = BitsTargets.of(info.maxBits());
        this.blockBits = c.minHeader().bits();
        this.blockSolution = hash.toBigInteger().compareTo(Targets.fromBits(blockBits)) <= 0;
        this.timestamp = info.timestamp();
        this.absheight = info.absheight();
        this.abswork = info.abswork();
        this.donation = d.donation();
        this.staleInfo = d.staleInfo();
        this.desiredVersion = d.desiredVersion();
        this.newTransactionHashes = info.newTransactionHashes();
    }

    /** The gentx txid that the contents' hash_link completes (spec 7.5). */
    static Sha256Hash gentxHash(P2poolNetwork net, ShareVersion version, ShareContents c) {
        Sha256Hash refHash = GentxBuilder.refHash(net, version, c.shareInfo(), c.refMerkleBranch());
        return HashLinks.gentxHash(c.hashLink(), refHash, c.lastTxoutNonce());
    }

    private static BlockHeader header(P2poolNetwork net, ShareVersion version, ShareContents c) {
        Sha256Hash merkleRoot = Merkle.fold(gentxHash(net, version, c),
                version.segwitActive(net) ? c.shareInfo().segwitData().txidMerkleBranch() : c.merkleBranch(), 0);
        SmallHeader mh = c.minHeader();
        return new BlockHeader(mh.version(), mh.previousBlock(), merkleRoot, mh.timestamp(), mh.bits(), mh.nonce());
    }

    @Override
    public BigInteger work() {
        return share.work();
    }

    @Override
    public BigInteger minWork() {
        return max.work();
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
            return new Share(net, v, c, contents.clone(), key);
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
        try {
            if (v.carriesAddress()) {
                key = d.address();
                // The address must convert to a script under this version's rule (10.1 step 3).
                PayoutScripts.script(key, v.paddingFix(), net.chain());
            } else {
                key = PayoutScripts.keyOfPubkeyHash(d.pubkeyHash(), net.chain());
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
            s = new Share(net, v, c, raw, key);
        } catch (ParseException e) {
            throw new ShareException(Rejection.MALFORMED, e.getMessage());
        }
        if (s.target().compareTo(net.maxTarget()) > 0) {
            throw new ShareException(Rejection.TARGET_ABOVE_MAX, "bits " + Long.toHexString(info.bits()));
        }
        if (s.hash.toBigInteger().compareTo(s.target()) > 0) {
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

    /** The contents, parsed again from the bytes they travel as. */
    public ShareContents contents() {
        try {
            return ShareCodec.parse(rawContents, version, net);
        } catch (ParseException e) {
            throw new IllegalStateException("contents parsed at load no longer parse", e);
        }
    }

    public ShareInfo shareInfo() {
        return contents().shareInfo();
    }

    /** share_info.new_transaction_hashes (v17-v33; empty from v34 on). */
    public List<Sha256Hash> newTransactionHashes() {
        return newTransactionHashes;
    }

    /** share_data.stale_info: 0, {@link ShareData#STALE_ORPHAN}, {@link ShareData#STALE_DOA} or as it came. */
    public int staleInfo() {
        return staleInfo;
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
        ShareContents c = contents();
        return GentxBuilder.refHash(net, version, c.shareInfo(), c.refMerkleBranch());
    }

    public Sha256Hash gentxHash() {
        return gentxHash(net, version, contents());
    }

    public BlockHeader header() {
        return header(net, version, contents());
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
        return previousHash;
    }

    /** min_header.previous_block: the Bitcoin block this share was mined on. */
    public Sha256Hash previousBlock() {
        return previousBlock;
    }

    @Override
    public BigInteger target() {
        return share.target();
    }

    @Override
    public BigInteger maxTarget() {
        return max.target();
    }

    public BigInteger blockTarget() {
        return BitsTargets.of(blockBits).target();
    }

    /** True when the share also meets the Bitcoin target: it is a block. */
    public boolean isBlockSolution() {
        return blockSolution;
    }

    @Override
    public long timestamp() {
        return timestamp;
    }

    @Override
    public String payoutKey() {
        return payoutKey;
    }

    @Override
    public int donation() {
        return donation;
    }

    @Override
    public long desiredVersion() {
        return desiredVersion;
    }

    @Override
    public int version() {
        return version.number();
    }

    @Override
    public long absheight() {
        return absheight;
    }

    @Override
    public BigInteger abswork() {
        return abswork;
    }

    @Override
    public String toString() {
        return "Share[v" + version.number() + " " + hash + "]";
    }
}
