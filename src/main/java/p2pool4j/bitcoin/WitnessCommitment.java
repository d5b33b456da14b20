package p2pool4j.bitcoin;

import java.util.ArrayList;
import java.util.List;

/** BIP141 witness commitment: H(wtxid merkle root || reserved value) in an OP_RETURN output. */
public final class WitnessCommitment {
    public static final byte[] HEADER = {0x6a, 0x24, (byte) 0xaa, 0x21, (byte) 0xa9, (byte) 0xed};

    private WitnessCommitment() {}

    public static Sha256Hash commitment(Sha256Hash wtxidRoot, byte[] reservedValue) {
        if (reservedValue.length != 32) {
            throw new IllegalArgumentException("the witness reserved value has 32 bytes");
        }
        byte[] buf = new byte[64];
        wtxidRoot.copyTo(buf, 0);
        System.arraycopy(reservedValue, 0, buf, 32, 32);
        return Sha256Hash.wrap(Hashes.sha256d(buf));
    }

    public static byte[] script(Sha256Hash commitment) {
        return new ByteWriter(38).bytes(HEADER).hash(commitment).toByteArray();
    }

    /** Root over [0 (the coinbase)] + the wtxids of the other transactions. */
    public static Sha256Hash wtxidRoot(List<Sha256Hash> otherWtxids) {
        List<Sha256Hash> leaves = new ArrayList<>(otherWtxids.size() + 1);
        leaves.add(Sha256Hash.ZERO);
        leaves.addAll(otherWtxids);
        return Merkle.root(leaves);
    }
}
