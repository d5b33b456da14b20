package p2pool4j.bench;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoind.Template;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.ShareProducer;
import p2pool4j.sharechain.Tracker;
import p2pool4j.work.Job;
import p2pool4j.work.SubmitCheck;
import p2pool4j.work.Tip;

/**
 * Cost of judging one miner submission (SubmitCheck: gentx txid from the hash link, merkle fold,
 * header hash, comparisons) next to the raw sha256d of an 80-byte header in the same run.
 * Mainnet targets, so a submit is a plain pseudo-share as almost all are.
 * Run: {@code mvn -Pbench -DskipTests package && java -jar target/benchmarks.jar SubmitBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SubmitBench {
    private Job job;
    private Tip tip;
    private byte[] header;
    private byte[] extranonce;
    private BigInteger pseudo;
    private long nonce;

    @Setup
    public void setUp() {
        P2poolNetwork net = P2poolNetwork.MAIN;
        Sha256Hash prev = Sha256Hash.fromDisplayHex("00000000000000000002a7c4c1e48d76c5a37902165a270156b7a8d72728a054");
        Template t = new Template(0x20000000L, prev, 900_000, 0x17034219L, 1_750_000_000L, 1_749_999_000L, 312_500_000L, new byte[0],
                List.of(), Set.of("segwit"), null, Optional.empty());
        String addr = Address.p2pkh(Hashes.hash160(new byte[] {1}), ChainParams.MAIN).text();
        ShareProducer.Inputs in = new ShareProducer.Inputs(null, t.version(), prev, t.bits(), new byte[] {3, 1, 2, 3}, addr,
                t.coinbaseValue(), 0, 0, net.maxTarget(), t.curTime(), List.of(), List.of(), 1);
        job = Job.of(1, ShareProducer.prepare(net, new Tracker(net), in), 1, t, addr, t.curTime());
        tip = new Tip() {
            @Override
            public Sha256Hash previousBlock() {
                return prev;
            }

            @Override
            public Template blockTemplate(long serial) {
                return t;
            }
        };
        header = new byte[80];
        extranonce = new byte[8];
        pseudo = p2pool4j.bitcoin.Targets.fromBdiff(1024);
    }

    @Benchmark
    public byte[] rawSha256dOfHeader() {
        header[76]++;
        return Hashes.sha256d(header);
    }

    @Benchmark
    public SubmitCheck.Outcome submitCheck() {
        nonce++;
        return SubmitCheck.check(job, extranonce, job.version(), job.ntime(), nonce & 0xffffffffL, pseudo, tip);
    }
}
