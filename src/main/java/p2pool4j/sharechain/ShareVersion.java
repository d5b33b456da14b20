package p2pool4j.sharechain;

/**
 * The share classes of the protocol spec (section 11.1). Two successor tables exist in the wild:
 * the reference's (17/32/33/34 -&gt; 35) and the Python 3 port's (17/32/33 -&gt; 34, 34 final).
 * We produce and vote by the reference's; a verifier accepts a switch either table allows.
 */
public enum ShareVersion {
    V17(17, 1400),
    V32(32, 1400),
    V33(33, 3300),
    V34(34, 3300),
    V35(35, 3500);

    private final int number;
    private final int minimumProtocolVersion;

    ShareVersion(int number, int minimumProtocolVersion) {
        this.number = number;
        this.minimumProtocolVersion = minimumProtocolVersion;
    }

    public int number() {
        return number;
    }

    public int minimumProtocolVersion() {
        return minimumProtocolVersion;
    }

    /** Known types; null for an unknown one (types below 17 are obsolete, handled by the caller). */
    public static ShareVersion of(long type) {
        for (ShareVersion v : values()) {
            if (v.number == type) {
                return v;
            }
        }
        return null;
    }

    /** The reference's successor, or null for v35. */
    public ShareVersion successor() {
        return this == V35 ? null : V35;
    }

    /** The Python 3 port's successor: 17/32/33 -&gt; 34, 34 has none (it knows no 35). */
    public ShareVersion portSuccessor() {
        return number < 34 ? V34 : null;
    }

    /** What a share of this version votes for when we produce it (reference table). */
    public int votingVersion() {
        ShareVersion s = successor();
        return s == null ? number : s.number;
    }

    /** v34+ carry the address text; older ones a P2PKH pubkey hash. */
    public boolean carriesAddress() {
        return number >= 34;
    }

    /** v&lt;34 carry transaction hash references (legacy tx relay). */
    public boolean carriesTransactionRefs() {
        return number < 34;
    }

    /** v35 pads bech32 programs (the padding fix of section 7.3). */
    public boolean paddingFix() {
        return number >= 35;
    }

    public boolean segwitActive(P2poolNetwork net) {
        return number >= net.segwitActivationVersion();
    }
}
