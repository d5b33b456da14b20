package p2pool4j.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/** Entry point: parse the command line, build and validate the config, then run the node or a subcommand. */
public final class Main {
    /** Exit code for any invalid option, value or config file. */
    public static final int EXIT_CONFIG = 2;
    /** check-config --probe: the configuration is valid but bitcoind cannot be reached as configured. */
    public static final int EXIT_PROBE = 3;
    private static final int RUNNING = -1;

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, System.getenv(), Path.of(System.getProperty("user.home", ".")));
        if (code != RUNNING) {
            System.out.flush();
            System.exit(code); // one-shot commands register no shutdown hook
        }
    }

    /** Ends the process from inside the running node (e.g. an event loop), where System.exit could wait on itself. */
    static void exit(int code) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code == RUNNING ? 0 : code);
    }

    /** Runs one invocation; returns the exit code, or RUNNING when the node was started and keeps the JVM alive. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, Path home) {
        if (args.length > 0 && args[0].equals("inspect")) {
            return InspectCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("testminer")) {
            try {
                return p2pool4j.testminer.TestMiner.main(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
            } catch (Exception e) {
                err.println("p2pool4j testminer: " + e.getMessage());
                return 1;
            }
        }
        CommandLine cl = Cli.commandLine();
        if (args.length > 0 && args[0].equals("help")) {
            CommandLine target = args.length > 1 && cl.getSubcommands().containsKey(args[1]) ? cl.getSubcommands().get(args[1]) : cl;
            target.usage(out);
            return 0;
        }
        if (args.length > 0 && !args[0].startsWith("-") && !Cli.COMMANDS.contains(args[0])
                && (args.length == 1 || args[1].startsWith("-"))) {
            // One bare word is a mistyped command far more often than an RPC user without its password.
            err.println("p2pool4j: unknown command '" + args[0] + "' (commands: check-config, inspect, testminer, help;"
                    + " the reference's positional RPC credentials are two words: p2pool4j USER PASSWORD)");
            err.println("Try 'p2pool4j --help'.");
            return EXIT_CONFIG;
        }
        Cli.Invocation inv;
        try {
            inv = Cli.parse(cl, args);
        } catch (CommandLine.ParameterException e) {
            err.println("p2pool4j: " + Cli.describe(e));
            err.println("Try 'p2pool4j --help'.");
            return EXIT_CONFIG;
        }
        switch (inv.command()) {
            case "help" -> {
                CommandLine target = args.length > 0 && args[0].equals("check-config") ? cl.getSubcommands().get("check-config") : cl;
                target.usage(out);
                return 0;
            }
            case "version" -> {
                out.println(Cli.VERSION);
                return 0;
            }
            default -> {
                // continue below
            }
        }
        ConfigBuilder.Result result = ConfigBuilder.build(inv.values(), env, Main::readIfExists, home);
        if (inv.command().equals("check-config")) {
            out.print(ConfigReport.render(result.effective()));
        }
        if (!result.ok()) {
            for (String e : result.errors()) {
                err.println("p2pool4j: " + e);
            }
            return EXIT_CONFIG;
        }
        for (String w : result.warnings()) {
            err.println("p2pool4j: warning: " + w);
        }
        if (inv.command().equals("check-config")) {
            return inv.probe() && !ConfigProbe.run(result.config(), out) ? EXIT_PROBE : 0;
        }
        NodeRuntime node = new NodeRuntime(result.config());
        // SIGTERM: tell miners to reconnect, stop accepting, flush the stores, then exit 0 (a clean stop, not a crash).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.stopAndWait(8_000);
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }, "p2pool4j-shutdown"));
        node.start().onFailure(e -> {
            if (node.stopping()) {
                return; // the stop under way ends the process with its own code
            }
            err.println("p2pool4j: " + e.getMessage());
            node.stop().onComplete(v -> Main.exit(1));
        });
        return RUNNING;
    }

    /** Reads a small text file; empty when it does not exist; a clear message when it cannot be read. */
    public static Optional<String> readIfExists(Path p) {
        try {
            if (Files.size(p) > 1_000_000) {
                throw new IllegalStateException(p + " is larger than 1 MB; is it really a config file?");
            }
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw new IllegalStateException("cannot read " + p + ": permission denied");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p + ": " + e.getMessage());
        }
    }
}
