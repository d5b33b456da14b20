package p2pool4j.bitcoin;

/**
 * A payout address checked locally against one chain: Base58Check P2PKH / P2SH, or a segwit
 * address (bech32 for v0, bech32m for v1+ such as taproot). {@link #text()} keeps the exact text
 * the user gave, because P2Pool compares payout keys as exact strings.
 */
public record Address(Kind kind, int witnessVersion, byte[] payload, String text) {
    public enum Kind { P2PKH, P2SH, WITNESS }

    public static Address parse(String text, ChainParams chain) {
        if (text == null || text.isEmpty() || text.length() > 90) {
            throw new ParseException("address of bad length");
        }
        byte[] decoded = null;
        try {
            decoded = Base58.decodeCheck(text);
        } catch (ParseException notBase58) {
            // fall through to bech32
        }
        if (decoded != null) {
            if (decoded.length != 21) {
                throw new ParseException("base58 address of bad length");
            }
            byte[] hash = new byte[20];
            System.arraycopy(decoded, 1, hash, 0, 20);
            int version = decoded[0] & 0xff;
            if (version == chain.addressVersion()) {
                return new Address(Kind.P2PKH, -1, hash, text);
            }
            if (version == chain.p2shVersion()) {
                return new Address(Kind.P2SH, -1, hash, text);
            }
            throw new ParseException("address is not for " + chain.cliName());
        }
        Bech32.WitnessProgram wp;
        try {
            wp = Bech32.decodeSegwit(chain.hrp(), text);
        } catch (ParseException e) {
            throw new ParseException("not a valid " + chain.cliName() + " address: " + e.getMessage());
        }
        return new Address(Kind.WITNESS, wp.version(), wp.program(), text);
    }

    public static Address p2pkh(byte[] hash160, ChainParams chain) {
        return new Address(Kind.P2PKH, -1, hash160.clone(), Base58.encodeCheck(chain.addressVersion(), hash160));
    }

    public static Address witness(int version, byte[] program, ChainParams chain) {
        return new Address(Kind.WITNESS, version, program.clone(), Bech32.encodeSegwit(chain.hrp(), version, program));
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The standard output script paying this address. */
    public byte[] script() {
        return switch (kind) {
            case P2PKH -> Script.p2pkh(payload);
            case P2SH -> Script.p2sh(payload);
            case WITNESS -> Script.witness(witnessVersion, payload);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address a && a.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
