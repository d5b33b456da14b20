package p2pool4j.bitcoin;

import java.util.ArrayList;
import java.util.List;

/**
 * A Bitcoin transaction with optional witnesses (BIP144). The txid hashes the stripped (legacy)
 * form; the wtxid hashes the witness form when any input carries a witness.
 *
 * @param witnesses one stack per input, or an empty list for a transaction without witness data
 */
public record Transaction(long version, List<TxIn> inputs, List<TxOut> outputs, List<List<byte[]>> witnesses, long lockTime) {
    /** Caps that keep hostile input from allocating more than the bytes it sent. */
    public static final int MAX_SCRIPT = 100_000;
    public static final int MAX_WITNESS_ITEM = 4_000_000;

    public Transaction {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        witnesses = List.copyOf(witnesses);
        if (!witnesses.isEmpty() && witnesses.size() != inputs.size()) {
            throw new IllegalArgumentException("one witness stack per input");
        }
    }

    public boolean hasWitness() {
        for (List<byte[]> stack : witnesses) {
            if (!stack.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    public static Transaction read(ByteReader r) {
        long version = r.u32le();
        long n = r.varint();
        boolean segwit = false;
        if (n == 0) {
            int flag = r.u8();
            if (flag == 0) {
                throw new ParseException("segwit flag is 0");
            }
            segwit = true;
            n = -1;
        }
        int inCount = n < 0 ? r.count(41, 1_000_000) : checkedCount(n, r, 41);
        List<TxIn> ins = new ArrayList<>(inCount);
        for (int i = 0; i < inCount; i++) {
            ins.add(new TxIn(r.hash(), r.u32le(), r.varStr(MAX_SCRIPT), r.u32le()));
        }
        int outCount = r.count(9, 1_000_000);
        List<TxOut> outs = new ArrayList<>(outCount);
        for (int i = 0; i < outCount; i++) {
            outs.add(new TxOut(r.u64le(), r.varStr(MAX_SCRIPT)));
        }
        List<List<byte[]>> wit = new ArrayList<>();
        if (segwit) {
            for (int i = 0; i < inCount; i++) {
                int items = r.count(1, 100_000);
                List<byte[]> stack = new ArrayList<>(items);
                for (int j = 0; j < items; j++) {
                    stack.add(r.varStr(MAX_WITNESS_ITEM));
                }
                wit.add(stack);
            }
        }
        long lockTime = r.u32le();
        return new Transaction(version, ins, outs, wit, lockTime);
    }

    private static int checkedCount(long n, ByteReader r, int minItemBytes) {
        if (n < 0 || n > 1_000_000 || n > r.remaining() / minItemBytes) {
            throw new ParseException("input count " + Long.toUnsignedString(n) + " larger than the input");
        }
        return (int) n;
    }

    public static Transaction parse(byte[] raw) {
        ByteReader r = new ByteReader(raw);
        Transaction tx = read(r);
        r.expectEnd("transaction");
        return tx;
    }

    public void write(ByteWriter w, boolean withWitness) {
        boolean segwit = withWitness && hasWitness();
        w.u32le(version);
        if (segwit) {
            w.u8(0).u8(1);
        }
        w.varint(inputs.size());
        for (TxIn in : inputs) {
            w.hash(in.prevHash()).u32le(in.prevIndex()).varStr(in.script()).u32le(in.sequence());
        }
        w.varint(outputs.size());
        for (TxOut out : outputs) {
            w.u64le(out.value()).varStr(out.script());
        }
        if (segwit) {
            for (List<byte[]> stack : witnesses) {
                w.varint(stack.size());
                for (byte[] item : stack) {
                    w.varStr(item);
                }
            }
        }
        w.u32le(lockTime);
    }

    public byte[] serialize(boolean withWitness) {
        ByteWriter w = new ByteWriter(256);
        write(w, withWitness);
        return w.toByteArray();
    }

    public Sha256Hash txid() {
        return Hashes.hash256(serialize(false));
    }

    public Sha256Hash wtxid() {
        return hasWitness() ? Hashes.hash256(serialize(true)) : txid();
    }

    /** BIP141 weight: 3 x stripped size + full size. */
    public long weight() {
        return 3L * serialize(false).length + serialize(true).length;
    }
}
