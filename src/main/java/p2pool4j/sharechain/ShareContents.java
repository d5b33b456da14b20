package p2pool4j.sharechain;

import java.util.List;
import p2pool4j.bitcoin.Sha256Hash;

/** Everything a share carries on the wire (section 5.2), before any derived value. */
public record ShareContents(SmallHeader minHeader, ShareInfo shareInfo, List<Sha256Hash> refMerkleBranch,
        long lastTxoutNonce, HashLink hashLink, List<Sha256Hash> merkleBranch) {
    public ShareContents {
        refMerkleBranch = List.copyOf(refMerkleBranch);
        merkleBranch = List.copyOf(merkleBranch);
    }
}
