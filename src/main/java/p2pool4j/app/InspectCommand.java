package p2pool4j.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import p2pool4j.bitcoin.ByteReader;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.ShareException;
import p2pool4j.sharechain.Tracker;

/**
 * {@code p2pool4j inspect share --net NET HEX} and {@code p2pool4j inspect chain --net NET FILE}:
 * decode one share as it travels in a {@code shares} message, or run a set of them through the
 * tracker and report each one's verdict. Exit 0 when the input could be read, 2 when not.
 */
final class InspectCommand {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long MAX_FILE = 256L * 1024 * 1024;

    private InspectCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 1 || !(args[0].equals("share") || args[0].equals("chain"))) {
            boolean asked = args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"));
            (asked ? out : err).println("usage: p2pool4j inspect share --net NET HEX | inspect chain --net NET FILE");
            return asked ? 0 : Main.EXIT_CONFIG; // help asked for goes to stdout, a usage error to stderr
        }
        String net = "bitcoin";
        String input = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--net") && i + 1 < args.length) {
                net = args[++i];
            } else if (args[i].startsWith("--net=")) {
                net = args[i].substring(6);
            } else if (args[i].equals("--testnet")) {
                net = "testnet";
            } else if (input == null) {
                input = args[i];
            } else {
                err.println("p2pool4j inspect: unexpected argument '" + args[i] + "'");
                return Main.EXIT_CONFIG;
            }
        }
        P2poolNetwork network;
        try {
            network = P2poolNetwork.fromName(net);
        } catch (IllegalArgumentException e) {
            err.println("p2pool4j inspect: --net: '" + net + "' is not a network (use bitcoin, testnet or regtest)");
            return Main.EXIT_CONFIG;
        }
        if (input == null) {
            err.println("p2pool4j inspect " + args[0] + ": missing " + (args[0].equals("share") ? "HEX" : "FILE"));
            return Main.EXIT_CONFIG;
        }
        try {
            Object result = args[0].equals("share") ? share(network, input) : chain(network, Path.of(input));
            out.println(JSON.writeValueAsString(result));
            return 0;
        } catch (ShareException | ParseException | IOException | IllegalArgumentException e) {
            err.println("p2pool4j inspect: " + e.getMessage());
            return Main.EXIT_CONFIG;
        }
    }

    private record Wrapped(long type, byte[] contents) {}

    private static Wrapped unwrap(String hex) {
        ByteReader r = new ByteReader(Hex.decode(hex.strip()));
        long type = r.varint();
        byte[] contents = r.varStr(32_000_000);
        r.expectEnd("share wrapper");
        return new Wrapped(type, contents);
    }

    static Map<String, Object> share(P2poolNetwork net, String hex) throws ShareException {
        Wrapped w = unwrap(hex);
        Share s = Share.decodeForInspection(net, w.type(), w.contents());
        Map<String, Object> m = ShareJson.of(s);
        try {
            Share.load(net, w.type(), w.contents());
            m.put("receipt_check", "ok");
        } catch (ShareException e) {
            m.put("receipt_check", e.rejection().code());
            m.put("receipt_check_detail", e.getMessage());
        }
        return m;
    }

    static Map<String, Object> chain(P2poolNetwork net, Path file) throws IOException {
        if (Files.size(file) > MAX_FILE) {
            throw new IOException(file + " is larger than " + MAX_FILE + " bytes");
        }
        JsonNode arr = JSON.readTree(file.toFile());
        if (arr == null || !arr.isArray()) {
            throw new IOException(file + " is not a JSON array of hex strings");
        }
        Map<Integer, String> hashByIndex = new HashMap<>();
        Map<Integer, String> verdicts = new HashMap<>();
        Tracker tracker = new Tracker(net);
        long newest = 0;
        for (int i = 0; i < arr.size(); i++) {
            if (!arr.get(i).isTextual()) {
                throw new IOException("element " + i + " is not a hex string");
            }
            try {
                Wrapped w = unwrap(arr.get(i).asText());
                try {
                    hashByIndex.put(i, Share.decodeForInspection(net, w.type(), w.contents()).hash().toDisplayHex());
                } catch (ShareException unreadable) {
                    // no hash to show
                }
                Share s = Share.load(net, w.type(), w.contents());
                tracker.add(s, 0, i);
                newest = Math.max(newest, s.timestamp());
            } catch (ShareException e) {
                verdicts.put(i, e.rejection().code());
            } catch (ParseException e) {
                verdicts.put(i, "malformed");
            }
        }
        // The clock is the newest share's time, so an old chain's desired parents are not aged out.
        Tracker.Decision d = tracker.think(Math.max(newest, System.currentTimeMillis() / 1000), h -> 0);
        Map<Sha256Hash, String> bad = new HashMap<>();
        d.bad().forEach(b -> bad.put(b.hash(), b.reason().rejection().code()));
        List<Map<String, Object>> shares = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            String hash = hashByIndex.get(i);
            e.put("share_hash", hash);
            String verdict = verdicts.get(i);
            if (verdict == null && hash != null) {
                Sha256Hash h = Sha256Hash.fromDisplayHex(hash);
                verdict = bad.containsKey(h) ? bad.get(h) : tracker.isVerified(h) ? "ok" : "unverified";
            }
            e.put("verdict", verdict);
            shares.add(e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("shares", shares);
        out.put("best_share_hash", d.best() == null ? null : d.best().toDisplayHex());
        return out;
    }
}
