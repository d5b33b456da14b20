package p2pool4j.bitcoin;

/** Standard output scripts and the few script pushes the node writes itself. */
public final class Script {
    public static final int OP_0 = 0x00;
    public static final int OP_1 = 0x51;
    public static final int OP_RETURN = 0x6a;
    public static final int OP_DUP = 0x76;
    public static final int OP_EQUAL = 0x87;
    public static final int OP_EQUALVERIFY = 0x88;
    public static final int OP_HASH160 = 0xa9;
    public static final int OP_CHECKSIG = 0xac;

    private Script() {}

    public static byte[] p2pkh(byte[] hash160) {
        requireLength(hash160, 20);
        return new ByteWriter(25).u8(OP_DUP).u8(OP_HASH160).u8(20).bytes(hash160).u8(OP_EQUALVERIFY).u8(OP_CHECKSIG).toByteArray();
    }

    public static byte[] p2sh(byte[] hash160) {
        requireLength(hash160, 20);
        return new ByteWriter(23).u8(OP_HASH160).u8(20).bytes(hash160).u8(OP_EQUAL).toByteArray();
    }

    public static byte[] p2wpkh(byte[] hash160) {
        requireLength(hash160, 20);
        return witness(0, hash160);
    }

    public static byte[] p2wsh(byte[] sha256) {
        requireLength(sha256, 32);
        return witness(0, sha256);
    }

    public static byte[] p2tr(byte[] xOnlyKey) {
        requireLength(xOnlyKey, 32);
        return witness(1, xOnlyKey);
    }

    /** BIP141 witness program output: OP_n then one push of the program. */
    public static byte[] witness(int version, byte[] program) {
        if (version < 0 || version > 16 || program.length < 2 || program.length > 40) {
            throw new IllegalArgumentException("not a witness program");
        }
        return new ByteWriter(2 + program.length).u8(version == 0 ? OP_0 : OP_1 - 1 + version)
                .u8(program.length).bytes(program).toByteArray();
    }

    /** OP_RETURN followed by one push (data up to 75 bytes). */
    public static byte[] opReturn(byte[] data) {
        if (data.length > 75) {
            throw new IllegalArgumentException("OP_RETURN push too long for a single opcode");
        }
        return new ByteWriter(2 + data.length).u8(OP_RETURN).u8(data.length).bytes(data).toByteArray();
    }

    /** Minimal push of a script number (BIP34 block height in a coinbase). */
    public static byte[] pushNumber(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative height");
        }
        if (n == 0) {
            return new byte[] {OP_0};
        }
        if (n <= 16) {
            return new byte[] {(byte) (OP_1 - 1 + n)};
        }
        ByteWriter num = new ByteWriter(9);
        long v = n;
        int last = 0;
        while (v > 0) {
            last = (int) (v & 0xff);
            num.u8(last);
            v >>>= 8;
        }
        if ((last & 0x80) != 0) {
            num.u8(0);
        }
        byte[] b = num.toByteArray();
        return new ByteWriter(1 + b.length).u8(b.length).bytes(b).toByteArray();
    }

    private static void requireLength(byte[] b, int n) {
        if (b.length != n) {
            throw new IllegalArgumentException("expected " + n + " bytes, got " + b.length);
        }
    }
}
