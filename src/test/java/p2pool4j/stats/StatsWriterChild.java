package p2pool4j.stats;

import java.nio.file.Path;
import p2pool4j.work.SubmitEvent;
import p2pool4j.work.SubmitResult;

/** Run in a child JVM by StatsWriterTest: writes events without end, printing what has been flushed, until killed. */
public final class StatsWriterChild {
    public static void main(String[] args) throws Exception {
        Database db = Database.open(Path.of(args[0]));
        StatsWriter w = new StatsWriter(db);
        long n = 0;
        long start = System.currentTimeMillis();
        while (true) {
            for (int i = 0; i < 1000; i++) {
                w.accept(new SubmitEvent("rig" + (i % 10), "addr", 1.0, SubmitResult.ACCEPTED, false, false, false, 2.0, "child",
                        start + n));
                n++;
            }
            w.flush().get();
            System.out.println("flushed " + n);
            System.out.flush();
        }
    }
}
