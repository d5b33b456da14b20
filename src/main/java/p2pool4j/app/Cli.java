package p2pool4j.app;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command line, built from the {@link Setting} table so that options, config keys and
 * environment names cannot drift apart. Subcommands share the node's options.
 */
public final class Cli {
    public static final String VERSION = "p2pool4j 0.1.0";
    /** Words that name a command rather than an RPC user. */
    public static final java.util.Set<String> COMMANDS = java.util.Set.of("check-config", "inspect", "testminer", "help");

    /** What the user asked for. */
    public record Invocation(String command, Map<Setting, List<String>> values, boolean probe) {
        public Invocation(String command, Map<Setting, List<String>> values) {
            this(command, values, false);
        }
    }

    private Cli() {}

    public static CommandLine commandLine() {
        CommandSpec root = spec("p2pool4j", "A P2Pool node for Bitcoin: joins the P2Pool network, serves Stratum and getwork "
                + "miners on one port, and shows per-worker statistics in a web UI.");
        addRpcPositionals(root);
        CommandSpec check = spec("check-config", "Print the effective configuration (secrets masked) and exit.");
        addRpcPositionals(check);
        check.addOption(OptionSpec.builder("--probe").arity("0").type(boolean.class)
                .description("Also log in to bitcoind's RPC, check its chain and open its P2P port; exit 3 if one fails.").build());
        root.addSubcommand("check-config", check);
        CommandSpec inspect = CommandSpec.create().name("inspect").mixinStandardHelpOptions(true);
        inspect.usageMessage().description("inspect share --net NET HEX: decode one share (varint type + var_str contents) as JSON.",
                "inspect chain --net NET FILE: run a JSON array of such hex strings through the tracker; print each verdict and the best share.");
        root.addSubcommand("inspect", inspect);
        CommandSpec miner = CommandSpec.create().name("testminer").mixinStandardHelpOptions(true);
        miner.usageMessage().description("testminer (--stratum HOST:PORT [--tls [--tls-fingerprint SHA256]] | --getwork URL) [--threads N] [--user NAME] "
                + "[--version-rolling] [--seconds S]: the built-in CPU miner.");
        root.addSubcommand("testminer", miner);
        CommandSpec help = CommandSpec.create().name("help");
        help.usageMessage().description("help [COMMAND]: this text, or a command's.");
        root.addSubcommand("help", help);
        CommandLine cl = new CommandLine(root);
        cl.setOverwrittenOptionsAllowed(true); // a later -w wins over an earlier one, as in most tools
        return cl;
    }

    /** The reference's positional RPC_USER RPC_PASSWORD, on the node and on check-config alike. */
    private static void addRpcPositionals(CommandSpec spec) {
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("RPC_USER")
                .description("bitcoind RPC user (like --bitcoind-rpc-user)").type(String.class).build());
        spec.addPositional(PositionalParamSpec.builder().index("1").arity("0..1").paramLabel("RPC_PASSWORD")
                .description("bitcoind RPC password (like --bitcoind-rpc-password)").type(String.class).build());
    }

    /**
     * A parse error in words that never echo a value: an unmatched word may be a password given
     * in the wrong place, so only option-like words (starting with '-') are named.
     */
    static String describe(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> shown = new ArrayList<>();
            for (String a : u.getUnmatched()) {
                shown.add(a.startsWith("-") ? "'" + (a.contains("=") ? a.substring(0, a.indexOf('=')) + "=..." : a) + "'" : "(a value)");
            }
            return "unknown or extra argument" + (shown.size() > 1 ? "s: " : ": ") + String.join(", ", shown);
        }
        if (e instanceof CommandLine.MissingParameterException) {
            return e.getMessage();
        }
        return "invalid command line" + (e.getArgSpec() instanceof OptionSpec o ? " near " + o.longestName() : "");
    }

    private static CommandSpec spec(String name, String description) {
        CommandSpec spec = CommandSpec.create().name(name).mixinStandardHelpOptions(true).version(VERSION);
        spec.usageMessage().description(description).sortOptions(false);
        for (Setting s : Setting.values()) {
            OptionSpec.Builder b = s.shortName() == null ? OptionSpec.builder(s.longName())
                    : OptionSpec.builder(s.shortName(), s.longName());
            b.description(s.help());
            switch (s.kind()) {
                case FLAG -> b.arity("0").type(boolean.class);
                case LIST -> b.paramLabel(s.label()).type(List.class).auxiliaryTypes(String.class);
                default -> b.paramLabel(s.label()).type(String.class);
            }
            spec.addOption(b.build());
        }
        return spec;
    }

    /** @throws CommandLine.ParameterException for an unknown option or a missing value */
    public static Invocation parse(CommandLine cl, String[] args) {
        ParseResult pr = cl.parseArgs(args);
        ParseResult target = pr.hasSubcommand() ? pr.subcommand() : pr;
        if (pr.isUsageHelpRequested() || target.isUsageHelpRequested()) {
            return new Invocation("help", Map.of());
        }
        if (pr.isVersionHelpRequested() || target.isVersionHelpRequested()) {
            return new Invocation("version", Map.of());
        }
        // Options may stand on either side of a subcommand: those after it win, as later options do.
        Map<Setting, List<String>> values = new EnumMap<>(Setting.class);
        collect(pr, values);
        if (pr.hasSubcommand()) {
            collect(pr.subcommand(), values);
        }
        boolean probe = pr.hasSubcommand() && pr.subcommand().matchedOption("--probe") != null;
        return new Invocation(pr.hasSubcommand() ? pr.subcommand().commandSpec().name() : "run", values, probe);
    }

    private static void collect(ParseResult r, Map<Setting, List<String>> values) {
        for (Setting s : Setting.values()) {
            OptionSpec o = r.matchedOption(s.longName());
            if (o == null) {
                continue;
            }
            values.put(s, s.kind() == Setting.Kind.FLAG ? List.of("true") : new ArrayList<>(o.stringValues()));
        }
        for (PositionalParamSpec p : r.matchedPositionals()) {
            String v = p.stringValues().isEmpty() ? null : p.stringValues().get(0);
            if (v != null) {
                values.put(p.index().min() == 0 ? Setting.BITCOIND_RPC_USER : Setting.BITCOIND_RPC_PASSWORD, List.of(v));
            }
        }
    }
}
