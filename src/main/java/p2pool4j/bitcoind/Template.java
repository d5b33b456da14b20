package p2pool4j.bitcoind;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Targets;

/**
 * An immutable getblocktemplate answer: what to build the next block on. Shared across threads.
 *
 * @param coinbaseValue satoshis the coinbase may claim (subsidy + fees of the listed transactions)
 * @param coinbaseAux   the {@code coinbaseaux.flags} bytes to put in the coinbase, possibly empty
 * @param rules         the rules as bitcoind lists them (a leading '!' means "you must understand it")
 * @param witnessCommitment bitcoind's {@code default_witness_commitment} script, if any
 */
public record Template(
        long version,
        Sha256Hash previousBlockHash,
        long height,
        long bits,
        long curTime,
        long minTime,
        long coinbaseValue,
        byte[] coinbaseAux,
        List<TemplateTx> transactions,
        Set<String> rules,
        String longPollId,
        Optional<byte[]> witnessCommitment) {

    public Template {
        transactions = List.copyOf(transactions);
        rules = Set.copyOf(rules);
    }

    public BigInteger target() {
        return Targets.fromBits(bits);
    }

    public boolean segwitActive() {
        return rules.contains("segwit") || rules.contains("!segwit");
    }

    public long totalFees() {
        long sum = 0;
        for (TemplateTx tx : transactions) {
            sum += tx.fee();
        }
        return sum;
    }

    /** True when miners must get new work because of this template (tip, version or bits changed). */
    public boolean replaces(Template older) {
        return older == null || !older.previousBlockHash.equals(previousBlockHash) || older.version != version
                || older.bits != bits || (older.transactions.isEmpty() && !transactions.isEmpty());
    }
}
