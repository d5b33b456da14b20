package p2pool4j.stratum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.BlockHeader;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Merkle;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Targets;
import p2pool4j.testutil.Vectors;
import p2pool4j.work.VersionRolling;

/** Miner spec 3.7/3.8/3.17: a notify plus a submit gives the vector's header and hash, with BIP310 bits applied. */
class StratumMathTest {
    @Test
    void versionRollingVectorReassembles() {
        JsonNode v = Vectors.load("miner/stratum_version_rolling_synthetic.json");
        JsonNode n = v.get("notify_params");
        JsonNode s = v.get("submit_params");
        byte[] coinbase = Hex.decode(n.get(2).asText() + v.get("subscribe_result").get(1).asText() + s.get(2).asText() + n.get(3).asText());
        assertEquals(v.get("derived").get("coinbase_hex").asText(), Hex.encode(coinbase));
        java.util.List<Sha256Hash> branch = new java.util.ArrayList<>();
        n.get(4).forEach(b -> branch.add(Sha256Hash.fromWireHex(b.asText())));
        Sha256Hash root = Merkle.fold(Hashes.hash256(coinbase), branch, 0);
        assertEquals(v.get("derived").get("merkle_root_internal").asText(), root.toWireHex());
        long mask = VersionRolling.negotiate(0xffffffffL);
        assertEquals(v.get("configure_result").get("version-rolling.mask").asText(), String.format("%08x", mask));
        long version = VersionRolling.apply(Long.parseLong(n.get(5).asText(), 16), Long.parseLong(s.get(5).asText(), 16), mask);
        Sha256Hash prev = Sha256Hash.wrap(p2pool4j.bitcoin.WordSwap.swap4(Hex.decode(n.get(1).asText())));
        assertEquals(v.get("prevhash_display").asText(), prev.toDisplayHex());
        BlockHeader h = new BlockHeader(version, prev, root, Long.parseLong(s.get(3).asText(), 16), Long.parseLong(n.get(6).asText(), 16),
                Long.parseLong(s.get(4).asText(), 16));
        assertEquals(v.get("derived").get("header_hex").asText(), Hex.encode(h.serialize()));
        assertEquals(true, h.hash().toBigInteger().compareTo(Targets.fromBdiff(v.get("set_difficulty").asDouble())) <= 0);
    }
}
