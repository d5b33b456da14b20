package p2pool4j.bench;

/**
 * Entry point of {@code target/benchmarks.jar} (built by {@code mvn -Pbench package}): {@code load}
 * is the load harness against the service jar; {@code sharechain}, {@code p2p} and {@code stats}
 * print their figures in this JVM; anything else goes to JMH.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "";
        String[] rest = java.util.Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        int code = switch (what) {
            case "load" -> LoadHarness.run(rest, System.out);
            case "flood" -> FloodHarness.run(rest, System.out);
            case "sharechain", "p2p", "stats" -> p2pool4j.app.BenchCommand.run(args, System.out, System.err);
            default -> {
                org.openjdk.jmh.Main.main(args);
                yield 0;
            }
        };
        System.exit(code);
    }
}
