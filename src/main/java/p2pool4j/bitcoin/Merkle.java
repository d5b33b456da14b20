package p2pool4j.bitcoin;

import java.util.ArrayList;
import java.util.List;

/** Bitcoin merkle trees (odd levels duplicate their last element), branches and folding. */
public final class Merkle {
    private Merkle() {}

    /** Root of the list; one element is its own root; an empty list gives zero. */
    public static Sha256Hash root(List<Sha256Hash> leaves) {
        if (leaves.isEmpty()) {
            return Sha256Hash.ZERO;
        }
        List<Sha256Hash> level = new ArrayList<>(leaves);
        while (level.size() > 1) {
            List<Sha256Hash> next = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i < level.size(); i += 2) {
                Sha256Hash left = level.get(i);
                Sha256Hash right = i + 1 < level.size() ? level.get(i + 1) : left;
                next.add(Hashes.hash256(left, right));
            }
            level = next;
        }
        return level.get(0);
    }

    /**
     * Sibling hashes on the path of leaf {@code index}, bottom first. A {@code null} leaf is a
     * placeholder (the coinbase in a share template): it is never hashed into the branch of
     * itself, and may only stand at {@code index}.
     */
    public static List<Sha256Hash> branch(List<Sha256Hash> leaves, int index) {
        if (index < 0 || index >= leaves.size()) {
            throw new IllegalArgumentException("leaf index out of range");
        }
        List<Sha256Hash> branch = new ArrayList<>();
        List<Sha256Hash> level = new ArrayList<>(leaves);
        int idx = index;
        while (level.size() > 1) {
            int sibling = idx ^ 1;
            branch.add(sibling < level.size() ? level.get(sibling) : level.get(idx));
            List<Sha256Hash> next = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i < level.size(); i += 2) {
                Sha256Hash left = level.get(i);
                Sha256Hash right = i + 1 < level.size() ? level.get(i + 1) : left;
                // The path of the placeholder never needs its own parent value.
                next.add(left == null || right == null ? null : Hashes.hash256(left, right));
            }
            level = next;
            idx >>= 1;
        }
        return branch;
    }

    /** Folds {@code tip} up a branch: bit i of {@code index} set means the sibling is on the left. */
    public static Sha256Hash fold(Sha256Hash tip, List<Sha256Hash> branch, long index) {
        if (branch.size() < 63 && index >= (1L << branch.size())) {
            throw new IllegalArgumentException("merkle index beyond its branch");
        }
        if (branch.isEmpty()) {
            return tip;
        }
        // One 64-byte pair buffer for the whole climb (each step's hash lands in its half for the next):
        // it runs for every miner submit, 12 steps on a mainnet template.
        byte[] pair = new byte[64];
        int at = (index & 1) == 1 ? 32 : 0;
        tip.copyTo(pair, at);
        for (int i = 0; i < branch.size(); i++) {
            branch.get(i).copyTo(pair, 32 - at);
            int next = i + 1 < branch.size() && ((index >>> (i + 1)) & 1) == 1 ? 32 : 0;
            Hashes.sha256dInto(pair, pair, next);
            at = next;
        }
        return Sha256Hash.wrap(pair, at);
    }
}
