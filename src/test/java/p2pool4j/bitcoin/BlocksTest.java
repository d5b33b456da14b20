package p2pool4j.bitcoin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import p2pool4j.testutil.Vectors;

/** Genesis blocks of the three chains and block 100000 reassembled from its Stratum job. */
class BlocksTest {
    @Test
    void genesisBlocksHashToTheirKnownHashes() {
        for (ChainParams chain : ChainParams.values()) {
            Block genesis = chain.genesisBlock();
            assertEquals("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b",
                    genesis.header().merkleRoot().toDisplayHex());
            assertEquals(chain.genesisHash(), genesis.hash(), chain.name());
            assertEquals(genesis.header().merkleRoot(), genesis.computeMerkleRoot());
            assertTrue(genesis.header().meetsOwnTarget());
            Block back = Block.parse(genesis.serialize(true));
            assertEquals(genesis.hash(), back.hash());
            assertEquals(285, genesis.serialize(true).length);
        }
    }

    @Test
    void block100000FromItsStratumJob() {
        JsonNode v = Vectors.load("miner/stratum_block100000.json");
        JsonNode d = v.get("derived");
        Transaction coinbase = Transaction.parse(Hex.decode(d.get("coinbase_hex").asText()));
        assertEquals(d.get("coinbase_txid_display").asText(), coinbase.txid().toDisplayHex());
        List<Sha256Hash> branch = new ArrayList<>();
        v.get("notify_params").get(4).forEach(n -> branch.add(Sha256Hash.fromWireHex(n.asText())));
        Sha256Hash root = Merkle.fold(coinbase.txid(), branch, 0);
        assertEquals(d.get("merkle_root_display").asText(), root.toDisplayHex());
        BlockHeader header = BlockHeader.parse(Hex.decode(d.get("header_hex").asText()));
        assertEquals(root, header.merkleRoot());
        assertEquals(d.get("block_hash_display").asText(), header.hash().toDisplayHex());
        assertTrue(header.meetsOwnTarget());
        assertEquals(0x1b04864cL, header.bits());
    }

    @Test
    void subsidySchedules() {
        assertEquals(5_000_000_000L, ChainParams.MAIN.subsidy(0));
        assertEquals(2_500_000_000L, ChainParams.MAIN.subsidy(210_000));
        assertEquals(2_500_000_000L, ChainParams.REGTEST.subsidy(150));
        assertEquals(0L, ChainParams.REGTEST.subsidy(150L * 64));
    }

    @Test
    void bip34HeightPushes() {
        assertEquals("51", Hex.encode(Script.pushNumber(1)));
        assertEquals("028000", Hex.encode(Script.pushNumber(128)));
        assertEquals("03a08601", Hex.encode(Script.pushNumber(100_000)));
        assertEquals("0111", Hex.encode(Script.pushNumber(17)));
    }
}
