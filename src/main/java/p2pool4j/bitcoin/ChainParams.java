package p2pool4j.bitcoin;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

/**
 * The Bitcoin chains a node can mine ("parent networks" in P2Pool's words): their P2P magic,
 * default ports, address encodings, genesis block and subsidy schedule. Regtest follows Bitcoin
 * Core (P2SH version 196, hrp "bcrt"), which the reference P2Pool lacks.
 */
public enum ChainParams {
    MAIN("bitcoin", "main", "f9beb4d9", 8333, 8332, 0, 5, "bc", "", 210_000, 0x1d00ffffL,
            1231006505L, 2083236893L, "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f"),
    TESTNET("testnet", "test", "0b110907", 18333, 18332, 111, 196, "tb", "testnet3", 210_000, 0x1d00ffffL,
            1296688602L, 414098458L, "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943"),
    REGTEST("regtest", "regtest", "fabfb5da", 18444, 18443, 111, 196, "bcrt", "regtest", 150, 0x207fffffL,
            1296688602L, 2L, "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206");

    private static final byte[] GENESIS_COINBASE_SCRIPT = Hex.decode(
            "04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73");
    private static final byte[] GENESIS_OUTPUT_SCRIPT = Hex.decode(
            "4104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac");

    private final String cliName;
    private final String rpcChainName;
    private final byte[] p2pMagic;
    private final int p2pPort;
    private final int rpcPort;
    private final int addressVersion;
    private final int p2shVersion;
    private final String hrp;
    private final String datadirSubfolder;
    private final int halvingInterval;
    private final long powLimitBits;
    private final long genesisTime;
    private final long genesisNonce;
    private final Sha256Hash genesisHash;

    ChainParams(String cliName, String rpcChainName, String magicHex, int p2pPort, int rpcPort, int addressVersion,
            int p2shVersion, String hrp, String datadirSubfolder, int halvingInterval, long powLimitBits,
            long genesisTime, long genesisNonce, String genesisHashDisplay) {
        this.cliName = cliName;
        this.rpcChainName = rpcChainName;
        this.p2pMagic = Hex.decode(magicHex);
        this.p2pPort = p2pPort;
        this.rpcPort = rpcPort;
        this.addressVersion = addressVersion;
        this.p2shVersion = p2shVersion;
        this.hrp = hrp;
        this.datadirSubfolder = datadirSubfolder;
        this.halvingInterval = halvingInterval;
        this.powLimitBits = powLimitBits;
        this.genesisTime = genesisTime;
        this.genesisNonce = genesisNonce;
        this.genesisHash = Sha256Hash.fromDisplayHex(genesisHashDisplay);
    }

    /** By the name used on the command line: bitcoin (or main/mainnet), testnet, regtest. */
    public static ChainParams fromName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "bitcoin": case "main": case "mainnet": return MAIN;
            case "testnet": case "test": case "testnet3": return TESTNET;
            case "regtest": return REGTEST;
            default: throw new IllegalArgumentException("unknown network '" + name + "' (use bitcoin, testnet or regtest)");
        }
    }

    public String cliName() {
        return cliName;
    }

    /** The {@code chain} field of bitcoind's getblockchaininfo. */
    /** The smallest payout worth making, in satoshis (protocol spec 15.2 DUST_THRESHOLD): the share difficulty policy's dust rule. */
    public long dustThreshold() {
        return this == MAIN ? 100_000 : 100_000_000;
    }

    public String rpcChainName() {
        return rpcChainName;
    }

    public byte[] p2pMagic() {
        return p2pMagic.clone();
    }

    public int p2pPort() {
        return p2pPort;
    }

    public int rpcPort() {
        return rpcPort;
    }

    public int addressVersion() {
        return addressVersion;
    }

    public int p2shVersion() {
        return p2shVersion;
    }

    public String hrp() {
        return hrp;
    }

    /** Where Bitcoin Core keeps this chain's files (and its .cookie) inside its datadir. */
    public String datadirSubfolder() {
        return datadirSubfolder;
    }

    public BigInteger powLimit() {
        return Targets.fromBits(powLimitBits);
    }

    /** Block subsidy at {@code height} in satoshis (Bitcoin Core's schedule). */
    public long subsidy(long height) {
        long halvings = height / halvingInterval;
        return halvings >= 64 ? 0 : 5_000_000_000L >> halvings;
    }

    public Sha256Hash genesisHash() {
        return genesisHash;
    }

    /** The genesis block rebuilt from its known contents (tests check it hashes to {@link #genesisHash()}). */
    public Block genesisBlock() {
        Transaction coinbase = new Transaction(1, List.of(TxIn.coinbase(GENESIS_COINBASE_SCRIPT)),
                List.of(new TxOut(5_000_000_000L, GENESIS_OUTPUT_SCRIPT)), List.of(), 0);
        BlockHeader header = new BlockHeader(1, Sha256Hash.ZERO, coinbase.txid(), genesisTime, powLimitBits, genesisNonce);
        return new Block(header, List.of(coinbase));
    }
}
