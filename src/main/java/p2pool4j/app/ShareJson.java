package p2pool4j.app;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.ShareContents;
import p2pool4j.sharechain.ShareData;
import p2pool4j.sharechain.ShareInfo;
import p2pool4j.sharechain.SmallHeader;
import p2pool4j.sharechain.TxRef;

/**
 * A share as JSON under the protocol spec's field names, for operators and debugging. Hashes and
 * targets are 64-digit display hex (the reversed order explorers and the reference's logs use);
 * integers that can exceed 2^53 are decimal strings.
 */
final class ShareJson {
    private ShareJson() {}

    static Map<String, Object> of(Share s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", s.version());
        m.put("share_hash", s.hash().toDisplayHex());
        m.put("pow_hash", s.powHash().toDisplayHex());
        m.put("header_hash", s.header().hash().toDisplayHex());
        m.put("gentx_txid", s.gentxHash().toDisplayHex());
        m.put("target", hex64(s.target()));
        m.put("max_target", hex64(s.maxTarget()));
        m.put("is_block_solution", s.isBlockSolution());
        m.put("payout_key", s.payoutKey());
        m.put("ref_hash", s.refHash().toDisplayHex());
        ShareContents c = s.contents(); // parsed again from the share's bytes: once here
        SmallHeader mh = c.minHeader();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("version", mh.version());
        header.put("previous_block", hashOrNull(mh.previousBlock().isZero() ? null : mh.previousBlock()));
        header.put("timestamp", mh.timestamp());
        header.put("bits", String.format("%08x", mh.bits()));
        header.put("nonce", mh.nonce());
        m.put("min_header", header);
        ShareInfo info = c.shareInfo();
        ShareData d = info.shareData();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("previous_share_hash", hashOrNull(d.previousShareHash()));
        data.put("coinbase", Hex.encode(d.coinbase()));
        data.put("nonce", d.nonce());
        if (d.address() != null) {
            data.put("address", d.address());
        } else {
            data.put("pubkey_hash", Hex.encode(d.pubkeyHash()));
        }
        data.put("subsidy", Long.toUnsignedString(d.subsidy()));
        data.put("donation", d.donation());
        data.put("stale_info", d.staleInfo() == 0 ? null : d.staleInfo() == 253 ? "orphan" : d.staleInfo() == 254 ? "doa" : "unk" + d.staleInfo());
        data.put("desired_version", Long.toUnsignedString(d.desiredVersion()));
        Map<String, Object> si = new LinkedHashMap<>();
        si.put("share_data", data);
        if (info.segwitData() != null) {
            Map<String, Object> sw = new LinkedHashMap<>();
            sw.put("txid_merkle_link", link(info.segwitData().txidMerkleBranch()));
            sw.put("wtxid_merkle_root", info.segwitData().wtxidMerkleRoot().toDisplayHex());
            si.put("segwit_data", sw);
        }
        if (s.shareVersion().carriesTransactionRefs()) {
            si.put("new_transaction_hashes", hashes(info.newTransactionHashes()));
            List<List<Long>> refs = new ArrayList<>();
            for (TxRef r : info.transactionHashRefs()) {
                refs.add(List.of(r.shareCount(), r.txCount()));
            }
            si.put("transaction_hash_refs", refs);
        }
        si.put("far_share_hash", hashOrNull(info.farShareHash()));
        si.put("max_bits", String.format("%08x", info.maxBits()));
        si.put("bits", String.format("%08x", info.bits()));
        si.put("timestamp", info.timestamp());
        si.put("absheight", info.absheight());
        si.put("abswork", info.abswork().toString());
        m.put("share_info", si);
        m.put("ref_merkle_link", link(c.refMerkleBranch()));
        m.put("last_txout_nonce", Long.toUnsignedString(c.lastTxoutNonce()));
        Map<String, Object> hl = new LinkedHashMap<>();
        hl.put("state", Hex.encode(c.hashLink().state()));
        hl.put("length", c.hashLink().length());
        hl.put("extra_data", "");
        m.put("hash_link", hl);
        m.put("merkle_link", link(c.merkleBranch()));
        return m;
    }

    private static Map<String, Object> link(List<Sha256Hash> branch) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("branch", hashes(branch));
        l.put("index", 0);
        return l;
    }

    private static List<String> hashes(List<Sha256Hash> list) {
        List<String> out = new ArrayList<>();
        list.forEach(h -> out.add(h.toDisplayHex()));
        return out;
    }

    private static String hashOrNull(Sha256Hash h) {
        return h == null ? null : h.toDisplayHex();
    }

    static String hex64(BigInteger v) {
        return String.format("%064x", v);
    }
}
