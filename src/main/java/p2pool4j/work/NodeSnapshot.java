package p2pool4j.work;

import java.util.List;
import java.util.Map;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoind.Template;
import p2pool4j.sharechain.ShareVersion;
import p2pool4j.sharechain.Tracker;

/**
 * What the node verticle publishes after every change, read by every other verticle without
 * asking: immutable, replaced whole. {@code jobs} holds the jobs built for this work generation,
 * keyed by {@link Node#jobKey}, so sessions on any event loop pick theirs up without a hop.
 *
 * @param generation     work counter; a job of an older generation is dead on arrival as a share
 * @param newBlock       this generation began because the previous block changed (old jobs are stale)
 * @param previousBlock  the tip miners build on (null before the first template)
 * @param notReady       why miners get no work now, or null
 * @param shareVersion   the share version our jobs produce now
 * @param announcedNanos System.nanoTime() when this generation's new work was announced (for fan-out timing)
 * @param shareTargets   this generation's share targets by payout address (the share difficulty policy, {@link ShareTargetPolicy})
 * @param tipTemplates   the newest templates on the current tip by serial, the current one included ({@link Tip})
 */
public record NodeSnapshot(long generation, boolean newBlock, Sha256Hash previousBlock, Sha256Hash best, int height,
        int shares, ShareVersion shareVersion, String notReady, String nodeAddress, double feePercent, Template template,
        int minimumProtocolVersion, List<Tracker.Desired> desired, Map<String, Job> jobs, long announcedNanos,
        ShareTargetPolicy.Targets256 shareTargets, Map<Long, Template> tipTemplates) implements Tip {

    public static final NodeSnapshot EMPTY = new NodeSnapshot(0, false, null, null, 0, 0, ShareVersion.V17,
            "waiting for a block template from bitcoind", null, 0, null, 0, List.of(), Map.of(), 0, ShareTargetPolicy.Targets256.NONE,
            Map.of());

    @Override
    public Template blockTemplate(long serial) {
        return tipTemplates.get(serial);
    }

    NodeSnapshot withJobs(Map<String, Job> more) {
        return new NodeSnapshot(generation, newBlock, previousBlock, best, height, shares, shareVersion, notReady, nodeAddress,
                feePercent, template, minimumProtocolVersion, desired, more, announcedNanos, shareTargets, tipTemplates);
    }

    NodeSnapshot announced(long nanos) {
        return new NodeSnapshot(generation, newBlock, previousBlock, best, height, shares, shareVersion, notReady, nodeAddress,
                feePercent, template, minimumProtocolVersion, desired, jobs, nanos, shareTargets, tipTemplates);
    }
}
