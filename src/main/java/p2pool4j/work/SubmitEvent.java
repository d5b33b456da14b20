package p2pool4j.work;

/**
 * One classified submission, for the stats layer. Found blocks and our shares' fate travel
 * separately ({@link FoundBlock}, {@link LocalShares}).
 *
 * @param difficulty the difficulty credited (the job's target, not the achieved one)
 * @param share      it also became a sharechain share
 * @param block      it also met the Bitcoin target
 * @param doa        built on work older than the node's current work generation
 */
public record SubmitEvent(String workerKey, String address, double difficulty, SubmitResult result, boolean share, boolean block,
        boolean doa, double achievedDifficulty, String userAgent, long timeMillis) {}
