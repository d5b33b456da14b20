package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import p2pool4j.sharechain.P2poolNetwork;

/** Precedence CLI &gt; environment &gt; file &gt; bitcoin.conf &gt; defaults, and one clear message per bad value. */
class ConfigBuilderTest {
    private static final Path HOME = Path.of("/home/op");
    private final Map<Path, String> files = new HashMap<>();

    private ConfigBuilder.Result build(Map<String, String> env, String... args) {
        Cli.Invocation inv = Cli.parse(Cli.commandLine(), args);
        return ConfigBuilder.build(inv.values(), env, p -> Optional.ofNullable(files.get(p)), HOME);
    }

    @Test
    void defaultsPerNetwork() {
        Config main = build(Map.of()).config();
        assertEquals(P2poolNetwork.MAIN, main.net());
        assertEquals(9332, main.workerPort());
        assertEquals(9333, main.p2poolPort());
        assertEquals(8332, main.bitcoindRpcPort());
        assertEquals(8333, main.bitcoindP2pPort());
        assertEquals(Path.of("/home/op/.bitcoin/.cookie"), main.bitcoindCookie());
        assertTrue(main.cookieAuth());
        Config test = build(Map.of(), "--testnet").config();
        assertEquals(19332, test.workerPort());
        assertEquals(Path.of("/home/op/.bitcoin/testnet3/.cookie"), test.bitcoindCookie());
        Config reg = build(Map.of(), "--net", "regtest").config();
        assertEquals(19443, reg.workerPort());
        assertEquals(19444, reg.p2poolPort());
        assertEquals(18443, reg.bitcoindRpcPort());
        assertEquals(Path.of("/home/op/.p2pool4j/regtest"), reg.datadir());
    }

    @Test
    void precedenceCliOverEnvOverFileOverBitcoinConf() {
        files.put(Path.of("/etc/p.conf"), "# comment\nnet=regtest\nworker-port=1001\nweb-port=1002\np2pool-port=1003\n"
                + "p2pool-node=a.example, b.example:77\nfee=1.5\n");
        files.put(Path.of("/home/op/.bitcoin/bitcoin.conf"), "rpcuser=fromconf\nrpcpassword=pw\n[regtest]\nrpcport=2000\n");
        Config c = build(Map.of("P2POOL4J_WEB_PORT", "3002", "P2POOL4J_P2POOL_PORT", "3003", "P2POOL4J_CONFIG", "/etc/p.conf"),
                "--p2pool-port", "4003").config();
        assertEquals(P2poolNetwork.REGTEST, c.net());
        assertEquals(1001, c.workerPort());
        assertEquals(3002, c.webPort());
        assertEquals(4003, c.p2poolPort());
        assertEquals(List.of(new HostPort("a.example", 19444), new HostPort("b.example", 77)), c.p2poolNodes());
        assertEquals(1.5, c.feePercent());
        assertEquals(2000, c.bitcoindRpcPort());
        assertEquals(Optional.of("fromconf"), c.rpcUser());
        assertFalse(c.cookieAuth());
        Config positional = build(Map.of("P2POOL4J_CONFIG", "/etc/p.conf"), "alice", "secret").config();
        assertEquals(Optional.of("alice"), positional.rpcUser());
        assertEquals(Optional.of("secret"), positional.rpcPassword());
    }

    @Test
    void everyInvalidValueIsReportedNamingItsOption() {
        ConfigBuilder.Result r = build(Map.of("P2POOL4J_GIVE_AUTHOR", "lots"), "--net", "litecoin", "-w", "0", "-n", "bad host!",
                "--bitcoind-rpc-user", "u", "--low-bandwidth");
        assertFalse(r.ok());
        String all = String.join("\n", r.errors());
        assertTrue(all.contains("--net: 'litecoin'"), all);
        assertTrue(all.contains("-w/--worker-port: '0'"), all);
        assertTrue(all.contains("-n/--p2pool-node:"), all);
        assertTrue(all.contains("--give-author: 'lots'"), all);
        assertTrue(all.contains("--bitcoind-rpc-password: required"), all);
        assertEquals(5, r.errors().size(), all);
    }

    @Test
    void addressesAreCheckedForTheNetwork() {
        assertTrue(build(Map.of(), "--net", "regtest", "-a", "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080").ok());
        ConfigBuilder.Result wrongNet = build(Map.of(), "-a", "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080");
        assertTrue(wrongNet.errors().get(0).startsWith("-a/--address: 'bcrt1q"), wrongNet.errors().toString());
    }

    @Test
    void addressesNoShareCanPayAreWarnedAbout() {
        String taproot = p2pool4j.bitcoin.Address.witness(1, new byte[32], p2pool4j.bitcoin.ChainParams.REGTEST).text();
        ConfigBuilder.Result r = build(Map.of(), "--net", "regtest", "-a", taproot);
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).contains("bech32m") && r.warnings().get(0).contains("no P2Pool share can pay"), r.warnings().toString());
        ConfigBuilder.Result segwit = build(Map.of(), "--net", "regtest", "-a", "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080");
        assertTrue(segwit.warnings().get(0).contains("pay only P2PKH"), segwit.warnings().toString());
        assertEquals(List.of(), build(Map.of(), "--net", "testnet", "-a", "mfWxJ45yp2SFn7UciZyNpvDKrzbhyfKrY8").warnings());
    }

    @Test
    void alertUrlsAreCheckedAndNeverEchoed() {
        assertTrue(build(Map.of(), "--alert-url", "ntfy:https://ntfy.sh/secret-topic", "--alert-url", "https://x.example/hook").ok());
        assertEquals(List.of("--alert-url #1: not an http(s) URL (expected [json|ntfy|gotify|discord|slack:]http(s)://...)"),
                build(Map.of(), "--alert-url", "ftp://tok3n@host/x").errors());
        ConfigBuilder.Result r = build(Map.of(), "--alert-url", "discord:https://discord.com/api/webhooks/1/s3cr3t");
        assertFalse(ConfigReport.render(r.effective()).contains("s3cr3t"), "check-config masks webhook URLs");
    }

    @Test
    void aPortClashNamesBothOptions() {
        assertEquals(List.of("--web-port: 9332 is also -w/--worker-port; give each its own port"),
                build(Map.of(), "--web-port", "9332").errors());
        assertEquals(List.of("--p2pool-port: 9334 is also --web-port; give each its own port"),
                build(Map.of(), "--p2pool-port", "9334").errors());
    }

    @Test
    void configFileProblems() {
        files.put(Path.of("/c"), "worker-port=1\nnosuch=2\njunk line\n");
        ConfigBuilder.Result r = build(Map.of(), "--config", "/c");
        assertEquals(List.of("/c line 2: unknown setting 'nosuch'", "/c line 3: expected key=value"), r.errors());
        files.put(Path.of("/typo"), "workerport = 9332\nbitcoind-rpc-pasword = s3cret\n");
        assertEquals(List.of("/typo line 1: unknown setting 'workerport'; did you mean 'worker-port'?",
                "/typo line 2: unknown setting 'bitcoind-rpc-pasword'; did you mean 'bitcoind-rpc-password'?"),
                build(Map.of(), "--config", "/typo").errors());
        assertEquals(List.of("--config: file /missing does not exist"), build(Map.of(), "--config", "/missing").errors());
        ConfigBuilder.Result unreadable = ConfigBuilder.build(Cli.parse(Cli.commandLine(), new String[] {"--config", "/x"}).values(),
                Map.of(), p -> {
                    throw new IllegalStateException("cannot read /x: permission denied");
                }, HOME);
        assertEquals(List.of("--config: cannot read /x: permission denied"), unreadable.errors());
    }

    @Test
    void mainExitsWithCodeTwoAndCheckConfigMasksSecrets() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"--worker-port", "x"}, new PrintStream(out), new PrintStream(err), Map.of(), HOME);
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("-w/--worker-port: 'x' is not a port number"));
        assertEquals(2, Main.run(new String[] {"--no-such-option"}, new PrintStream(out), new PrintStream(err), Map.of(), HOME));
        out.reset();
        assertEquals(0, Main.run(new String[] {"check-config", "--bitcoind-rpc-user", "u", "--bitcoind-rpc-password", "hunter2"},
                new PrintStream(out), new PrintStream(err), Map.of(), HOME));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertFalse(printed.contains("hunter2"));
        assertTrue(printed.contains("bitcoind-rpc-password  = ****"), printed);
        out.reset();
        assertEquals(0, Main.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err), Map.of(), HOME));
        for (Setting s : Setting.values()) {
            assertTrue(out.toString(StandardCharsets.UTF_8).contains(s.longName()), s.longName());
        }
    }

    @Test
    void optionsCountOnEitherSideOfASubcommandAndNoParseErrorEchoesAValue() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.run(new String[] {"--worker-port", "x", "check-config"}, new PrintStream(out), new PrintStream(err),
                Map.of(), HOME), "an option before the subcommand is checked too");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("-w/--worker-port: 'x' is not a port number"), err.toString());
        out.reset();
        err.reset();
        assertEquals(0, Main.run(new String[] {"--net", "regtest", "check-config", "USER", "s3cret-pw"}, new PrintStream(out),
                new PrintStream(err), Map.of(), HOME), err.toString());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("regtest"), printed);
        assertTrue(printed.contains("USER"), "the positional RPC user counts on check-config");
        assertFalse(printed.contains("s3cret-pw"));
        out.reset();
        err.reset();
        assertEquals(2, Main.run(new String[] {"check-config", "--net", "regtest", "USER", "s3cret-pw", "extra-s3cret"},
                new PrintStream(out), new PrintStream(err), Map.of(), HOME));
        String complaint = err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8);
        assertFalse(complaint.contains("s3cret"), complaint);
        assertTrue(complaint.contains("unknown or extra argument"), complaint);
    }

    @Test
    void everyCommandAnswersHelpAndAnUnknownOneIsAClearError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"help"}, new PrintStream(out), new PrintStream(err), Map.of(), HOME));
        for (String command : Cli.COMMANDS) {
            assertTrue(out.toString(StandardCharsets.UTF_8).contains(command), "the top-level help lists " + command);
        }
        for (String[] help : new String[][] {{"check-config", "--help"}, {"inspect", "--help"}, {"testminer", "--help"},
            {"help", "check-config"}}) {
            out.reset();
            assertEquals(0, Main.run(help, new PrintStream(out), new PrintStream(err), Map.of(), HOME), String.join(" ", help));
            assertFalse(out.toString(StandardCharsets.UTF_8).isBlank(), "help on stdout: " + String.join(" ", help));
        }
        err.reset();
        assertEquals(2, Main.run(new String[] {"frobnicate"}, new PrintStream(out), new PrintStream(err), Map.of(), HOME));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"), err.toString());
    }

    @Test
    void hostPorts() {
        assertEquals(new HostPort("::1", 5), HostPort.parse("[::1]:5", 9));
        assertEquals(new HostPort("2001:db8::1", 9), HostPort.parse("2001:db8::1", 9));
        assertEquals(new HostPort("h", 9), HostPort.parse("h", 9));
    }
}
