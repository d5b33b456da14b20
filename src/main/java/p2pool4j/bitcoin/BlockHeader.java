package p2pool4j.bitcoin;

import java.math.BigInteger;

/** The 80-byte block header. {@code version}, {@code time}, {@code bits} and {@code nonce} are unsigned 32-bit. */
public record BlockHeader(long version, Sha256Hash previousBlock, Sha256Hash merkleRoot, long time, long bits, long nonce) {
    public static final int SIZE = 80;

    public static BlockHeader read(ByteReader r) {
        return new BlockHeader(r.u32le(), r.hash(), r.hash(), r.u32le(), r.u32le(), r.u32le());
    }

    public static BlockHeader parse(byte[] raw) {
        ByteReader r = new ByteReader(raw);
        BlockHeader h = read(r);
        r.expectEnd("block header");
        return h;
    }

    public void write(ByteWriter w) {
        w.u32le(version).hash(previousBlock).hash(merkleRoot).u32le(time).u32le(bits).u32le(nonce);
    }

    public byte[] serialize() {
        ByteWriter w = new ByteWriter(SIZE);
        write(w);
        return w.toByteArray();
    }

    public Sha256Hash hash() {
        return Hashes.hash256(serialize());
    }

    public BigInteger target() {
        return Targets.fromBits(bits);
    }

    /** True when the header's own hash meets its own bits. */
    public boolean meetsOwnTarget() {
        return hash().toBigInteger().compareTo(target()) <= 0;
    }

    public BlockHeader withNonce(long n) {
        return new BlockHeader(version, previousBlock, merkleRoot, time, bits, n);
    }
}
