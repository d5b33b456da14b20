package p2pool4j.bench;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Merkle;
import p2pool4j.bitcoin.Sha256;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * Hashing costs the node pays per share and per block. Run: {@code mvn -Pbench -DskipTests package
 * && java -jar target/benchmarks.jar HashBench}. Compare sha256d of a header with a single raw JDK
 * SHA-256 of the same 80 bytes in the same run (ratio ~2 expected); our own resumable SHA-256 is
 * used only for midstates, its ratio to the JDK shows what the intrinsics are worth.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HashBench {
    private byte[] header;
    private MessageDigest jdk;
    private List<Sha256Hash> txids;

    @Setup
    public void setUp() throws Exception {
        header = ChainParams.MAIN.genesisBlock().header().serialize();
        jdk = MessageDigest.getInstance("SHA-256");
        txids = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            txids.add(Sha256Hash.wrap(Hashes.sha256(new byte[] {(byte) i, (byte) (i >> 8)})));
        }
    }

    @Benchmark
    public byte[] jdkSha256Of80Bytes() {
        return jdk.digest(header);
    }

    @Benchmark
    public byte[] sha256dOfHeader() {
        header[76]++; // vary the nonce like a miner does
        return Hashes.sha256d(header);
    }

    @Benchmark
    public byte[] ownSha256Of80Bytes() {
        return new Sha256().update(header).digest();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Sha256Hash merkleRootOf4000Txids() {
        return Merkle.root(txids);
    }
}
