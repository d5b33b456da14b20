package p2pool4j.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.Block;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Merkle;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Transaction;
import p2pool4j.bitcoin.TxIn;
import p2pool4j.bitcoin.TxOut;
import p2pool4j.bitcoind.Template;
import p2pool4j.bitcoind.TemplateTx;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.ShareProducer;
import p2pool4j.sharechain.Tracker;

/** A solution meeting the block target becomes a block carrying its template's transactions, found by the job's template serial. */
class SubmitCheckTest {
    private static final P2poolNetwork NET = P2poolNetwork.REGTEST;
    private static final Sha256Hash TIP = Hashes.hash256(new byte[] {7});
    private static final byte[] EXTRANONCE = new byte[8];

    private static TemplateTx tx(int i) {
        Transaction t = new Transaction(2, List.of(new TxIn(Hashes.hash256(new byte[] {(byte) i}), 0, new byte[] {0x51}, TxIn.FINAL_SEQUENCE)),
                List.of(new TxOut(1_000, new byte[] {0x51})), List.of(List.of()), 0);
        return new TemplateTx(t.serialize(false), t.txid(), t.wtxid(), 100, t.weight());
    }

    private static final Template TEMPLATE = new Template(0x20000000L, TIP, 200, 0x207fffffL, 1_750_000_000L, 1_749_999_000L,
            5_000_000_000L, new byte[0], List.of(tx(1), tx(2), tx(3)), Set.of("segwit"), null, Optional.empty());

    private static Job job() {
        List<Sha256Hash> txids = new ArrayList<>();
        List<Sha256Hash> wtxids = new ArrayList<>();
        TEMPLATE.transactions().forEach(t -> {
            txids.add(t.txid());
            wtxids.add(t.wtxid());
        });
        String addr = Address.p2pkh(Hashes.hash160(new byte[] {1}), NET.chain()).text();
        ShareProducer.Inputs in = new ShareProducer.Inputs(null, TEMPLATE.version(), TIP, TEMPLATE.bits(), new byte[] {2, 1, 0}, addr,
                TEMPLATE.coinbaseValue(), 0, 0, NET.maxTarget(), TEMPLATE.curTime(), txids, wtxids, 1);
        return Job.of(1, ShareProducer.prepare(NET, new Tracker(NET), in), 42, TEMPLATE, addr, TEMPLATE.curTime());
    }

    private static Tip tip(Sha256Hash previous, Template held) {
        return new Tip() {
            @Override
            public Sha256Hash previousBlock() {
                return previous;
            }

            @Override
            public Template blockTemplate(long serial) {
                return serial == 42 ? held : null;
            }
        };
    }

    /** The first nonce whose header meets the (regtest, half of all hashes) block target. */
    private static long blockNonce(Job job) {
        for (long nonce = 0; nonce < 1_000; nonce++) {
            SubmitCheck.Outcome o = SubmitCheck.check(job, EXTRANONCE, job.version(), job.ntime(), nonce, BigInteger.ONE, tip(null, null));
            if (o.hash().toBigInteger().compareTo(job.blockTarget()) <= 0) {
                return nonce;
            }
        }
        throw new AssertionError("no nonce of 1,000 meets a regtest target");
    }

    @Test
    void aBlockCarriesTheTransactionsOfTheJobsTemplate() {
        Job job = job();
        long nonce = blockNonce(job);
        SubmitCheck.Outcome o = SubmitCheck.check(job, EXTRANONCE, job.version(), job.ntime(), nonce, BigInteger.ONE, tip(TIP, TEMPLATE));
        Block b = o.block();
        assertNotNull(b);
        assertFalse(o.blockUnbuilt());
        assertEquals(SubmitResult.ACCEPTED, o.result());
        assertEquals(4, b.transactions().size());
        List<Sha256Hash> ids = new ArrayList<>();
        b.transactions().forEach(t -> ids.add(t.txid()));
        for (int i = 0; i < 3; i++) {
            assertEquals(TEMPLATE.transactions().get(i).txid(), ids.get(i + 1));
        }
        assertEquals(b.header().merkleRoot(), Merkle.root(ids), "the header commits to exactly these transactions");
        assertEquals(o.hash(), b.header().hash());
    }

    @Test
    void aTemplateNoLongerHeldIsReportedNotGuessed() {
        Job job = job();
        SubmitCheck.Outcome o = SubmitCheck.check(job, EXTRANONCE, job.version(), job.ntime(), blockNonce(job), BigInteger.ONE,
                tip(TIP, null));
        assertNull(o.block());
        assertTrue(o.blockUnbuilt());
        assertEquals(SubmitResult.ACCEPTED, o.result(), "the work is still the miner's");
    }

    @Test
    void onAnotherTipNoBlockIsBuiltAndNoneIsMissed() {
        Job job = job();
        SubmitCheck.Outcome o = SubmitCheck.check(job, EXTRANONCE, job.version(), job.ntime(), blockNonce(job), BigInteger.ONE,
                tip(Hashes.hash256(new byte[] {8}), null));
        assertNull(o.block());
        assertFalse(o.blockUnbuilt());
        assertTrue(o.stale());
        assertEquals(SubmitResult.STALE, o.result());
    }
}
