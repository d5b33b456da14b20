package p2pool4j.sharechain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import p2pool4j.bitcoin.Base58;
import p2pool4j.bitcoin.Block;
import p2pool4j.bitcoin.Merkle;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Transaction;

/**
 * Builds shares as a reference node would (protocol spec 13). {@link #prepare} fixes everything but
 * the miner's solution: the share_info, the generation transaction split around the 8-byte
 * last_txout_nonce (the miner's extranonce), and the merkle branch; {@link Job#solve} turns a
 * solution into a {@link Share}, which re-runs the receipt checks (PoW included).
 */
public final class ShareProducer {
    /**
     * What the work layer knows when it makes a job.
     *
     * @param best          the share to build on (null for a new chain)
     * @param txids         the block's other transactions, in block order
     * @param wtxids        their witness ids, same order
     * @param shareNonce    share_data.nonce (the reference draws it at random; the caller does)
     */
    public record Inputs(Sha256Hash best, long blockVersion, Sha256Hash previousBlock, long blockBits, byte[] coinbaseScript,
            String payoutAddress, long subsidy, int donation, int staleInfo, BigInteger desiredTarget, long desiredTimestamp,
            BlockTxs txs, long shareNonce) {
        /** With the template's ids as lists; their merkle data is worked out here (the node reuses one {@link BlockTxs} per template). */
        public Inputs(Sha256Hash best, long blockVersion, Sha256Hash previousBlock, long blockBits, byte[] coinbaseScript,
                String payoutAddress, long subsidy, int donation, int staleInfo, BigInteger desiredTarget, long desiredTimestamp,
                List<Sha256Hash> txids, List<Sha256Hash> wtxids, long shareNonce) {
            this(best, blockVersion, previousBlock, blockBits, coinbaseScript, payoutAddress, subsidy, donation, staleInfo,
                    desiredTarget, desiredTimestamp, BlockTxs.of(txids, wtxids), shareNonce);
        }
    }

    /** A share template waiting for a miner's solution. Immutable. */
    public record Job(P2poolNetwork net, ShareVersion version, ShareInfo shareInfo, GeneratedTx gentx, byte[] coinb1, byte[] coinb2,
            List<Sha256Hash> merkleBranch, List<Sha256Hash> shareMerkleLink, long blockVersion, Sha256Hash previousBlock,
            long blockBits, BigInteger shareTarget, BigInteger blockTarget) {
        // The two targets are components, worked out once from the bits: every submit compares against both.

        /** The gentx txid for a given extranonce (last_txout_nonce). */
        public Sha256Hash gentxTxid(long lastTxoutNonce) {
            return HashLinks.gentxHash(gentx.hashLink(), gentx.refHash(), lastTxoutNonce);
        }

        /** The header merkle root for a given extranonce. */
        public Sha256Hash merkleRoot(long lastTxoutNonce) {
            return Merkle.fold(gentxTxid(lastTxoutNonce), merkleBranch, 0);
        }

        /** The share for a solved header. @throws ShareException if it does not meet the share target, among others */
        public Share solve(long lastTxoutNonce, long headerVersion, long headerTimestamp, long headerNonce) throws ShareException {
            SmallHeader mh = new SmallHeader(headerVersion, previousBlock, headerTimestamp, blockBits, headerNonce);
            ShareContents c = new ShareContents(mh, shareInfo, List.of(), lastTxoutNonce, gentx.hashLink(), shareMerkleLink);
            return Share.of(net, version, c);
        }

        /** The full block of a share that is a block solution, its transactions appended in template order. */
        public Block block(Share share, List<Transaction> transactions) {
            return block(share.header(), share.contents().lastTxoutNonce(), transactions);
        }

        /**
         * The full block for a solved header, whether or not it also meets the share target (on
         * regtest the block target can be easier than the share target).
         */
        public Block block(p2pool4j.bitcoin.BlockHeader header, long lastTxoutNonce, List<Transaction> transactions) {
            List<Transaction> all = new ArrayList<>();
            Transaction g = gentx.tx();
            List<p2pool4j.bitcoin.TxOut> outs = new ArrayList<>(g.outputs());
            byte[] ref = outs.get(outs.size() - 1).script().clone();
            byte[] nonce = new p2pool4j.bitcoin.ByteWriter(8).u64le(lastTxoutNonce).toByteArray();
            System.arraycopy(nonce, 0, ref, ref.length - 8, 8);
            outs.set(outs.size() - 1, new p2pool4j.bitcoin.TxOut(0, ref));
            all.add(new Transaction(g.version(), g.inputs(), outs, g.witnesses(), g.lockTime()));
            all.addAll(transactions);
            return new Block(header, all);
        }
    }

    private ShareProducer() {}

    public static Job prepare(P2poolNetwork net, Tracker chain, Inputs in) {
        ChainShare best = in.best() == null ? null : chain.get(in.best());
        ShareVersion version = VersionVote.versionToProduce(net, chain, best);
        return prepare(net, chain, in, version);
    }

    /** As {@link #prepare(P2poolNetwork, Tracker, Inputs)} with the version chosen by the caller (tests, inspect). */
    public static Job prepare(P2poolNetwork net, ChainView chain, Inputs in, ShareVersion version) {
        String address = null;
        byte[] pubkeyHash = null;
        if (version.carriesAddress()) {
            address = in.payoutAddress();
        } else {
            byte[] d;
            try {
                d = Base58.decodeCheck(in.payoutAddress());
            } catch (ParseException e) {
                throw new IllegalArgumentException("a v" + version.number() + " share needs a base58 P2PKH payout address");
            }
            if (d.length != 21 || (d[0] & 0xff) != net.chain().addressVersion()) {
                throw new IllegalArgumentException("a v" + version.number() + " share needs a P2PKH payout address");
            }
            pubkeyHash = Arrays.copyOfRange(d, 1, 21);
        }
        byte[] coinbase = in.coinbaseScript().length > 100 ? Arrays.copyOf(in.coinbaseScript(), 100) : in.coinbaseScript();
        ShareData data = new ShareData(in.best(), coinbase, in.shareNonce(), address, pubkeyHash, in.subsidy(), in.donation(),
                in.staleInfo(), version.votingVersion());

        List<Sha256Hash> txidBranch = in.txs().txidBranch();
        SegwitData segwit = version.segwitActive(net) ? new SegwitData(txidBranch, in.txs().wtxidRoot()) : null;
        // The reference fills merkle_link over H(full tx data); unused where segwit is active.
        List<Sha256Hash> shareMerkleLink = version.segwitActive(net) ? in.txs().wtxidBranch() : txidBranch;

        TargetRules.Derived d = TargetRules.derive(net, version, chain, in.best(), in.desiredTarget(), in.desiredTimestamp());
        List<Sha256Hash> newTx = List.of();
        List<TxRef> refs = List.of();
        if (version.carriesTransactionRefs()) {
            ShareCheck.TxRefs r = ShareCheck.canonicalRefs(in.best(), chain, in.txs().txids());
            newTx = r.newHashes();
            refs = r.refs();
        }
        ShareInfo info = new ShareInfo(data, segwit, newTx, refs, d.farShareHash(), d.maxBits(), d.bits(), d.timestamp(),
                d.absheight(), d.abswork());
        String key = version.carriesAddress() ? address : PayoutScripts.keyOfPubkeyHash(pubkeyHash, net.chain());
        GeneratedTx gentx = GentxBuilder.build(net, version, info, p2pool4j.bitcoin.Targets.fromBits(in.blockBits()), chain,
                List.of(), 0, key);
        byte[] stripped = gentx.tx().serialize(false);
        byte[] coinb1 = Arrays.copyOf(stripped, stripped.length - 12);
        byte[] coinb2 = Arrays.copyOfRange(stripped, stripped.length - 4, stripped.length);
        return new Job(net, version, info, gentx, coinb1, coinb2, txidBranch, shareMerkleLink, Math.max(in.blockVersion(), 0x20000000L),
                in.previousBlock(), in.blockBits(), p2pool4j.bitcoin.Targets.fromBits(info.bits()), p2pool4j.bitcoin.Targets.fromBits(in.blockBits()));
    }
}
