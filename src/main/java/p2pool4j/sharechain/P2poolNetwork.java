package p2pool4j.sharechain;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hex;

/**
 * The P2Pool networks (protocol spec section 15.1): each sharechain's identifier, frame prefix,
 * default ports, chain length and target bounds, plus the Bitcoin chain it mines. Networks are
 * data: besides the three real ones, benchmarks and tests may define a simulation network.
 */
public final class P2poolNetwork {
    public static final P2poolNetwork MAIN = new P2poolNetwork("bitcoin", ChainParams.MAIN, "fc70035c7a81bc6f", "2472ef181efcd37b", 9333, 9332, 8640,
            BigInteger.ONE.shiftLeft(224).subtract(BigInteger.ONE), 3301, 33, true,
            List.of("ml.toom.im", "ml.toom.im:9336", "ml.toom.im:9334", "btc-fork.coinpool.pw:9335",
                    "crypto.office-on-the.net:9335", "btc.p2pool.leblancnet.us"));
    public static final P2poolNetwork TESTNET = new P2poolNetwork("testnet", ChainParams.TESTNET, "5fc2be2d4f0d6bfb", "3f6057a15036f441", 19333, 19332, 360,
            BigInteger.ONE.shiftLeft(224).subtract(BigInteger.ONE), 3200, 15, false,
            List.of("forre.st", "liteco.in", "78.158.149.247"));
    public static final P2poolNetwork REGTEST = new P2poolNetwork("regtest", ChainParams.REGTEST, "5ad2c6ecbd7d9372",
            "8f2c8d54b3278bc8", 19444, 19443, 360, BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE), 3200, 15, false, List.of());

    private static final List<P2poolNetwork> REAL = List.of(MAIN, TESTNET, REGTEST);

    public static final int SHARE_PERIOD = 30;
    public static final int TARGET_LOOKBEHIND = 200;
    public static final int SPREAD = 3;
    public static final int PROTOCOL_VERSION = 3501;

    private final String name;
    private final ChainParams chain;
    private final byte[] identifier;
    private final byte[] prefix;
    private final int p2pPort;
    private final int workerPort;
    private final int chainLength;
    private final BigInteger maxTarget;
    private final int minimumProtocolVersion;
    private final int segwitActivationVersion;
    private final boolean persist;
    private final List<String> bootstrapAddresses;

    private P2poolNetwork(String name, ChainParams chain, String identifier, String prefix, int p2pPort, int workerPort, int chainLength,
            BigInteger maxTarget, int minimumProtocolVersion, int segwitActivationVersion, boolean persist,
            List<String> bootstrapAddresses) {
        this.name = name;
        this.chain = chain;
        this.identifier = Hex.decode(identifier);
        this.prefix = Hex.decode(prefix);
        this.p2pPort = p2pPort;
        this.workerPort = workerPort;
        this.chainLength = chainLength;
        this.maxTarget = maxTarget;
        this.minimumProtocolVersion = minimumProtocolVersion;
        this.segwitActivationVersion = segwitActivationVersion;
        this.persist = persist;
        this.bootstrapAddresses = bootstrapAddresses;
    }

    /** By the --net name: bitcoin (main, mainnet), testnet, regtest. */
    public static P2poolNetwork fromName(String name) {
        ChainParams c = ChainParams.fromName(name.toLowerCase(Locale.ROOT));
        for (P2poolNetwork n : REAL) {
            if (n.chain == c) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown network " + name);
    }

    public static List<P2poolNetwork> values() {
        return REAL;
    }

    /**
     * A simulation network: mainnet's CHAIN_LENGTH on the regtest chain with regtest's easy
     * MAX_TARGET, so mainnet-length chains can be built on a CPU for benchmarks and tests. It has
     * its own identifier and prefix, so its shares can never be mistaken for real ones.
     */
    public static P2poolNetwork simulation(int chainLength) {
        return new P2poolNetwork("simulation", ChainParams.REGTEST, "73696d756c617465", "73696d6e65747631", 29444, 29443,
                chainLength, BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE), 3200, 15, false, List.of());
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }

    public ChainParams chain() {
        return chain;
    }

    public String cliName() {
        return chain.cliName();
    }

    /** 8 bytes hashed into every share's ref_hash. */
    public byte[] identifier() {
        return identifier.clone();
    }

    /** 8 bytes that start every peer frame. */
    public byte[] prefix() {
        return prefix.clone();
    }

    public int p2pPort() {
        return p2pPort;
    }

    public int workerPort() {
        return workerPort;
    }

    public int chainLength() {
        return chainLength;
    }

    /** REAL_CHAIN_LENGTH equals CHAIN_LENGTH on all three networks. */
    public int realChainLength() {
        return chainLength;
    }

    public BigInteger maxTarget() {
        return maxTarget;
    }

    public int minimumProtocolVersion() {
        return minimumProtocolVersion;
    }

    public int segwitActivationVersion() {
        return segwitActivationVersion;
    }

    /** Mainnet refuses work without peers and a chain. */
    public boolean persist() {
        return persist;
    }

    public List<String> bootstrapAddresses() {
        return bootstrapAddresses;
    }
}
