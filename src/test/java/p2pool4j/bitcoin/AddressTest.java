package p2pool4j.bitcoin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import p2pool4j.testutil.Vectors;

/** Address parsing checked locally per chain: addresses.json plus the BIP173/BIP350 vectors. */
class AddressTest {
    private static final Map<String, ChainParams> NETS = Map.of(
            "bitcoin", ChainParams.MAIN, "bitcoin_testnet", ChainParams.TESTNET, "btcregtest", ChainParams.REGTEST);

    @Test
    void referenceVectorsDecodeToTheirPayloads() {
        for (JsonNode c : Vectors.load("addresses.json").get("cases")) {
            String kind = c.get("kind").asText();
            ChainParams chain = NETS.get(c.get("net").asText());
            String text = c.get("address").asText();
            switch (kind) {
                case "p2pkh", "p2sh" -> {
                    if (c.get("net").asText().equals("btcregtest")) {
                        // The reference fails here (no P2SH version on its regtest); we follow Core.
                        Address a = Address.parse(text, chain);
                        assertEquals(Address.Kind.P2PKH, a.kind());
                        continue;
                    }
                    Address a = Address.parse(text, chain);
                    assertEquals(c.get("payload_hex").asText(), Hex.encode(a.payload()));
                    assertEquals(c.get("script_v35").asText(), Hex.encode(a.script()));
                }
                case "bech32", "bech32_upper" -> {
                    if (c.get("witver").asInt() == 1) {
                        // A v1 program in bech32 (not bech32m) is invalid since BIP350.
                        assertThrows(ParseException.class, () -> Address.parse(text, chain));
                        continue;
                    }
                    Address a = Address.parse(text, chain);
                    assertEquals(c.get("payload_hex").asText(), Hex.encode(a.payload()));
                    byte[] program = a.payload();
                    assertEquals("00" + String.format("%02x", program.length) + c.get("payload_hex").asText(), Hex.encode(a.script()));
                }
                default -> assertThrows(ParseException.class, () -> Address.parse(text, chain), text);
            }
        }
    }

    @Test
    void bip350ValidAddresses() {
        Map<String, String> valid = Map.of(
                "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6",
                "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
                "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6",
                "BC1SW50QGDZ25J", "6002751e",
                "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323",
                "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
                "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        valid.forEach((addr, script) -> assertEquals(script, Hex.encode(Address.parse(addr, ChainParams.MAIN).script()), addr));
        Map<String, String> testnet = Map.of(
                "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
                "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
                "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
                "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
                "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
                "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433");
        testnet.forEach((addr, script) -> assertEquals(script, Hex.encode(Address.parse(addr, ChainParams.TESTNET).script()), addr));
    }

    @Test
    void bip350InvalidAddresses() {
        String[] mainnet = {
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", // bech32 for v1
            "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", // bech32m for v0
            "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", // invalid character
            "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", // witness version 17
            "bc1pw5dgrnzv", // 1-byte program
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav", // 41 bytes
            "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", // v0 program of 16 bytes
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", // padding > 4 bits
            "bc1gmk9yu", // empty data
            "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", // testnet address on mainnet
            "mge6dfFc847TzNrCSvHjk1Lv2stMWjcnxf", // testnet P2PKH on mainnet
        };
        for (String a : mainnet) {
            assertThrows(ParseException.class, () -> Address.parse(a, ChainParams.MAIN), a);
        }
        String[] testnet = {
            "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut", // wrong hrp
            "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
            "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
            "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", // mixed case
            "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j", // non-zero padding
        };
        for (String a : testnet) {
            assertThrows(ParseException.class, () -> Address.parse(a, ChainParams.TESTNET), a);
        }
    }

    @Test
    void regtestUsesBitcoinCoreEncodings() {
        byte[] h = Hex.decode("751e76e8199196d454941c45d1b3a323f1433bd6");
        assertEquals("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", Address.witness(0, h, ChainParams.REGTEST).text());
        Address p2pkh = Address.p2pkh(h, ChainParams.REGTEST);
        assertEquals(Address.Kind.P2PKH, Address.parse(p2pkh.text(), ChainParams.REGTEST).kind());
        assertEquals(Address.Kind.P2SH, Address.parse(Base58.encodeCheck(196, h), ChainParams.REGTEST).kind());
        assertThrows(ParseException.class, () -> Address.parse(Base58.encodeCheck(0x3c, h), ChainParams.REGTEST));
    }

    @Test
    void garbageNeverEscapesAsAnotherException() {
        for (String s : new String[] {"", "1", "11111", "bc1", "bc1qqqqqqqq", "\u0000\u00ff", "x".repeat(200), "1".repeat(80)}) {
            assertThrows(ParseException.class, () -> Address.parse(s, ChainParams.MAIN), s);
        }
    }
}
