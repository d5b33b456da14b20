package p2pool4j.bitcoin;

import java.util.ArrayList;
import java.util.List;

/** A full block: header and transactions, the first of which is the coinbase. */
public record Block(BlockHeader header, List<Transaction> transactions) {
    public Block {
        transactions = List.copyOf(transactions);
    }

    public static Block read(ByteReader r) {
        BlockHeader h = BlockHeader.read(r);
        int n = r.count(60, 1_000_000);
        List<Transaction> txs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            txs.add(Transaction.read(r));
        }
        return new Block(h, txs);
    }

    public static Block parse(byte[] raw) {
        ByteReader r = new ByteReader(raw);
        Block b = read(r);
        r.expectEnd("block");
        return b;
    }

    public byte[] serialize(boolean withWitness) {
        ByteWriter w = new ByteWriter(1024);
        header.write(w);
        w.varint(transactions.size());
        for (Transaction tx : transactions) {
            tx.write(w, withWitness);
        }
        return w.toByteArray();
    }

    public Sha256Hash hash() {
        return header.hash();
    }

    /** The merkle root recomputed from the transactions. */
    public Sha256Hash computeMerkleRoot() {
        List<Sha256Hash> ids = new ArrayList<>(transactions.size());
        for (Transaction tx : transactions) {
            ids.add(tx.txid());
        }
        return Merkle.root(ids);
    }
}
