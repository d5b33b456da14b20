package p2pool4j.sharechain;

import java.nio.charset.StandardCharsets;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Hex;

/** Constants of the generation transaction shared by every network (protocol spec 7 and 15.1). */
public final class Gentx {
    /** P2PK script of the P2Pool author's donation key. */
    public static final byte[] DONATION_SCRIPT = Hex.decode(
            "4104ffd03de44a6e11b9917f3a29f9443283d9871c9d743ef30d5eddcd37094b64d1b3d8090496b53256786bf5c82932ec23c3b74d9f05a6f95a8b5529352656664bac");
    /** C: donation output's script length, script, a zero value, and the ref output's script start. */
    public static final byte[] BEFORE_REFHASH = Hex.decode(
            "434104ffd03de44a6e11b9917f3a29f9443283d9871c9d743ef30d5eddcd37094b64d1b3d8090496b53256786bf5c82932ec23c3b74d9f05a6f95a8b5529352656664bac00000000000000002a6a28");
    /** The coinbase witness and witness-commitment reserved value. */
    public static final byte[] WITNESS_RESERVED = "[P2Pool][P2Pool][P2Pool][P2Pool]".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] DONATION_PUBKEY_HASH = Hashes.hash160(java.util.Arrays.copyOfRange(DONATION_SCRIPT, 1, 66));

    private Gentx() {}
}
