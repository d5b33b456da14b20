package p2pool4j.sharechain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import p2pool4j.bitcoin.Merkle;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * Where a share is verified against the chain: check() of protocol spec 10.2, in its order. The
 * share must already have passed {@link Share#load}'s receipt checks; the tracker decides when a
 * share has enough history to be checked (12.1).
 */
public final class ShareCheck {
    /** Shares whose timestamp is further ahead of our clock are invalid. */
    public static final long MAX_FUTURE_SECONDS = 600;

    /** What a passed check tells the tracker: the vote counts, when the parent had CHAIN_LENGTH history (for 11.4). */
    public record Passed(Map<Long, BigInteger> counts) {}

    private ShareCheck() {}

    public static Passed check(Share share, ChainView chain, long nowSeconds) throws ShareException {
        P2poolNetwork net = share.net();
        ShareContents contents = share.contents();
        ShareInfo info = contents.shareInfo();
        if (info.timestamp() > nowSeconds + MAX_FUTURE_SECONDS) {
            throw new ShareException(Rejection.TIMESTAMP_IN_FUTURE, info.timestamp() + " > " + nowSeconds + " + 600");
        }
        Sha256Hash parentHash = share.previousHash();
        ChainShare parent = parentHash == null ? null : chain.get(parentHash);
        Map<Long, BigInteger> counts = null;
        if (parent != null) {
            int h = chain.height(parentHash);
            boolean switching = VersionVote.isSuccessor(parent.version(), share.version());
            if (h >= net.chainLength()) {
                counts = VersionVote.counts(net, chain, parentHash);
                if (share.version() != parent.version()) {
                    if (!switching) {
                        throw new ShareException(Rejection.VERSION_CANNOT_FOLLOW,
                                "v" + share.version() + " can't follow v" + parent.version());
                    }
                    if (!VersionVote.enoughToSwitch(counts, share.version())) {
                        throw new ShareException(Rejection.SWITCH_WITHOUT_HASHPOWER, "v" + share.version());
                    }
                }
            } else if (switching) {
                throw new ShareException(Rejection.SWITCH_WITHOUT_HISTORY, "parent height " + h);
            }
        }

        ShareVersion v = share.shareVersion();
        TargetRules.Derived d = TargetRules.derive(net, v, chain, parentHash, share.target(), info.timestamp());
        List<Sha256Hash> txids = List.of();
        ShareInfo rebuilt;
        if (v.carriesTransactionRefs()) {
            txids = resolveTransactions(share, info, chain);
            TxRefs canonical = canonicalRefs(share.previousHash(), chain, txids);
            rebuilt = new ShareInfo(info.shareData(), info.segwitData(), canonical.newHashes, canonical.refs, d.farShareHash(),
                    d.maxBits(), d.bits(), d.timestamp(), d.absheight(), d.abswork());
        } else {
            rebuilt = new ShareInfo(info.shareData(), info.segwitData(), List.of(), List.of(), d.farShareHash(), d.maxBits(),
                    d.bits(), d.timestamp(), d.absheight(), d.abswork());
        }
        if (!sameDerivedFields(rebuilt, info)) {
            throw new ShareException(Rejection.SHARE_INFO_INVALID, describeDifference(rebuilt, info));
        }
        GeneratedTx gentx = GentxBuilder.build(net, v, info, share.blockTarget(), chain, contents.refMerkleBranch(),
                contents.lastTxoutNonce(), share.payoutKey());
        Sha256Hash linked = Share.gentxHash(net, v, contents);
        if (!gentx.txid().equals(linked)) {
            throw new ShareException(Rejection.GENTX_MISMATCH, "rebuilt " + gentx.txid() + ", hash_link gives " + linked);
        }
        // merkle_link is only meaningful where the header root comes from it (v17/v32 without segwit):
        // where segwit is active the root comes from segwit_data and merkle_link is unused (spec 7.7, UNSURE 6).
        if (v.carriesTransactionRefs() && !v.segwitActive(net)) {
            List<Sha256Hash> leaves = new ArrayList<>();
            leaves.add(null);
            leaves.addAll(txids);
            if (!Merkle.branch(leaves, 0).equals(contents.merkleBranch())) {
                throw new ShareException(Rejection.MERKLE_LINK_MISMATCH, null);
            }
        }
        return new Passed(counts);
    }

    private static boolean sameDerivedFields(ShareInfo a, ShareInfo b) {
        return a.maxBits() == b.maxBits() && a.bits() == b.bits() && a.timestamp() == b.timestamp()
                && a.absheight() == b.absheight() && a.abswork().equals(b.abswork())
                && Objects.equals(a.farShareHash(), b.farShareHash())
                && a.newTransactionHashes().equals(b.newTransactionHashes())
                && a.transactionHashRefs().equals(b.transactionHashRefs());
    }

    private static String describeDifference(ShareInfo want, ShareInfo got) {
        List<String> diff = new ArrayList<>();
        if (want.maxBits() != got.maxBits()) {
            diff.add(String.format("max_bits %08x != %08x", got.maxBits(), want.maxBits()));
        }
        if (want.bits() != got.bits()) {
            diff.add(String.format("bits %08x not canonical (want %08x)", got.bits(), want.bits()));
        }
        if (want.timestamp() != got.timestamp()) {
            diff.add("timestamp " + got.timestamp() + " != " + want.timestamp());
        }
        if (want.absheight() != got.absheight()) {
            diff.add("absheight " + got.absheight() + " != " + want.absheight());
        }
        if (!want.abswork().equals(got.abswork())) {
            diff.add("abswork " + got.abswork() + " != " + want.abswork());
        }
        if (!Objects.equals(want.farShareHash(), got.farShareHash())) {
            diff.add("far_share_hash " + got.farShareHash() + " != " + want.farShareHash());
        }
        if (!want.transactionHashRefs().equals(got.transactionHashRefs()) || !want.newTransactionHashes().equals(got.newTransactionHashes())) {
            diff.add("transaction references not canonical");
        }
        return String.join(", ", diff);
    }

    /** The transaction hashes a v&lt;34 share's refs point at (share_count 0 = the share itself, 1 = its parent...). */
    static List<Sha256Hash> resolveTransactions(Share share, ShareInfo info, ChainView chain) throws ShareException {
        List<Sha256Hash> out = new ArrayList<>();
        for (TxRef ref : info.transactionHashRefs()) {
            ChainShare holder = ref.shareCount() == 0 ? share : chain.ancestor(share.previousHash(), (int) ref.shareCount() - 1);
            if (!(holder instanceof Share s) || ref.txCount() >= s.newTransactionHashes().size()) {
                throw new ShareException(Rejection.SHARE_INFO_INVALID, "transaction reference points past the known chain");
            }
            out.add(s.newTransactionHashes().get((int) ref.txCount()));
        }
        return out;
    }

    record TxRefs(List<Sha256Hash> newHashes, List<TxRef> refs) {}

    /** The refs a producer would write for {@code txids} (10.2 step 3): the newest of the last 100 ancestors that announced each, else new. */
    static TxRefs canonicalRefs(Sha256Hash parent, ChainView chain, List<Sha256Hash> txids) {
        Map<Sha256Hash, TxRef> known = new HashMap<>();
        int depth = parent == null ? 0 : Math.min(chain.height(parent), 100);
        List<ChainShare> back = chain.ancestors(parent, depth);
        for (int gen = 1; gen <= back.size(); gen++) {
            if (back.get(gen - 1) instanceof Share real) {
                List<Sha256Hash> hashes = real.newTransactionHashes();
                for (int i = 0; i < hashes.size(); i++) {
                    known.putIfAbsent(hashes.get(i), new TxRef(gen, i));
                }
            }
        }
        List<Sha256Hash> fresh = new ArrayList<>();
        List<TxRef> refs = new ArrayList<>();
        Map<Sha256Hash, Integer> freshIndex = new HashMap<>();
        for (Sha256Hash tx : txids) {
            TxRef r = known.get(tx);
            if (r == null) {
                Integer idx = freshIndex.get(tx);
                if (idx == null) {
                    idx = fresh.size();
                    fresh.add(tx);
                    freshIndex.put(tx, idx);
                }
                r = new TxRef(0, idx);
            }
            refs.add(r);
        }
        return new TxRefs(fresh, refs);
    }
}
