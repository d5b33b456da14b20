package p2pool4j.sharechain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import p2pool4j.bitcoin.ByteWriter;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Merkle;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Transaction;
import p2pool4j.bitcoin.TxIn;
import p2pool4j.bitcoin.TxOut;
import p2pool4j.bitcoin.WitnessCommitment;

/**
 * Builds the generation transaction of a share exactly as the reference does (protocol spec 7):
 * PPLNS amounts from the grandparent, 0.5 % to the finder, the rest to the donation output,
 * outputs sorted by (is-donation, amount, key bytes), witness commitment first, ref output last.
 * Producers and verifiers both use it; verifiers compare its txid with the share's hash_link.
 */
public final class GentxBuilder {
    private static final int MAX_OUTPUT_KEYS = 4000;

    private GentxBuilder() {}

    public static GeneratedTx build(P2poolNetwork net, ShareVersion version, ShareInfo info, BigInteger blockTarget,
            ChainView chain, List<Sha256Hash> refBranch, long lastTxoutNonce, String payoutKey) {
        ShareData d = info.shareData();
        Sha256Hash parent = d.previousShareHash();
        int height = parent == null ? 0 : chain.height(parent);
        Sha256Hash grandparent = parent == null || chain.get(parent) == null ? null : chain.get(parent).previousHash();
        int maxShares = Math.max(0, Math.min(height, net.realChainLength()) - 1);
        PplnsWeights w = chain.pplns(grandparent, maxShares, Pplns.desiredWeight(blockTarget));

        String donationKey = PayoutScripts.keyOfPubkeyHash(Gentx.DONATION_PUBKEY_HASH, net.chain());
        BigInteger subsidy = new BigInteger(Long.toUnsignedString(d.subsidy()));
        Map<String, BigInteger> amounts = new HashMap<>();
        if (w.total().signum() > 0) {
            BigInteger num = subsidy.multiply(BigInteger.valueOf(199));
            BigInteger den = w.total().multiply(BigInteger.valueOf(200));
            w.weights().forEach((k, weight) -> amounts.put(k, num.multiply(weight).divide(den)));
        }
        amounts.merge(payoutKey, subsidy.divide(BigInteger.valueOf(200)), BigInteger::add);
        BigInteger assigned = amounts.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
        amounts.merge(donationKey, subsidy.subtract(assigned), BigInteger::add);

        List<String> keys = new ArrayList<>(amounts.keySet());
        keys.sort(Comparator.<String, Boolean>comparing(k -> k.equals(donationKey))
                .thenComparing(amounts::get)
                .thenComparing(Comparator.naturalOrder())); // ASCII text: String order is byte order
        if (keys.size() > MAX_OUTPUT_KEYS) {
            keys = keys.subList(keys.size() - MAX_OUTPUT_KEYS, keys.size());
        }

        List<TxOut> outs = new ArrayList<>();
        boolean segwit = version.segwitActive(net);
        if (segwit) {
            Sha256Hash c = WitnessCommitment.commitment(info.segwitData().wtxidMerkleRoot(), Gentx.WITNESS_RESERVED);
            outs.add(new TxOut(0, WitnessCommitment.script(c)));
        }
        Map<String, Long> result = new HashMap<>();
        for (String k : keys) {
            long amount = amounts.get(k).longValueExact();
            result.put(k, amount);
            if (amount > 0 && !k.equals(donationKey)) {
                outs.add(new TxOut(amount, PayoutScripts.script(k, version.paddingFix(), net.chain())));
            }
        }
        long donationAmount = amounts.get(donationKey).longValueExact();
        result.putIfAbsent(donationKey, donationAmount);
        outs.add(new TxOut(donationAmount, Gentx.DONATION_SCRIPT));
        Sha256Hash refHash = refHash(net, version, info, refBranch);
        outs.add(new TxOut(0, new ByteWriter(42).u8(0x6a).u8(0x28).hash(refHash).u64le(lastTxoutNonce).toByteArray()));

        List<List<byte[]>> witness = segwit ? List.of(List.of(Gentx.WITNESS_RESERVED)) : List.of();
        Transaction tx = new Transaction(1, List.of(TxIn.coinbase(d.coinbase())), outs, witness, 0);
        byte[] stripped = tx.serialize(false);
        HashLink link = HashLinks.fromPrefix(Arrays.copyOf(stripped, stripped.length - 44));
        return new GeneratedTx(tx, result, refHash, link);
    }

    /** ref_hash (7.5): H(IDENTIFIER || share_info) folded up the ref merkle branch. */
    public static Sha256Hash refHash(P2poolNetwork net, ShareVersion version, ShareInfo info, List<Sha256Hash> refBranch) {
        byte[] infoBytes = ShareCodec.shareInfoBytes(info, version, net);
        byte[] ref = new ByteWriter(8 + infoBytes.length).bytes(net.identifier()).bytes(infoBytes).toByteArray();
        return Merkle.fold(Hashes.hash256(ref), refBranch, 0);
    }
}
