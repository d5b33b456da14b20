package p2pool4j.work;

/**
 * One classified submission, for the stats layer. Found blocks and our shares' fate travel
 * separately ({@link FoundBlock}, {@link LocalShares}).
 *
 * @param difficulty the difficulty credited (the job's target, not the achieved one)
 * @param share      it also became a sharechain share
 * @param block      it also met the Bitcoin target
 * @param doa        built on work older than the node's current work generation
 * @param shareDifficulty the sharechain share difficulty of the job (0 when unknown: a rejection before the job was found)
 */
public record SubmitEvent(String workerKey, String address, double difficulty, SubmitResult result, boolean share, boolean block,
        boolean doa, double achievedDifficulty, String userAgent, long timeMillis, double shareDifficulty) {
    public SubmitEvent(String workerKey, String address, double difficulty, SubmitResult result, boolean share, boolean block,
            boolean doa, double achievedDifficulty, String userAgent, long timeMillis) {
        this(workerKey, address, difficulty, result, share, block, doa, achievedDifficulty, userAgent, timeMillis, 0);
    }
}
