package p2pool4j.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the key=value config file. Keys are the long option names; '#' starts a comment;
 * p2pool-node may repeat or hold a comma-separated list; flags take true/false. Unknown keys are
 * errors (a typo must not silently fall back to a default).
 */
public final class ConfigFile {
    static final int MAX_LINES = 10_000;

    public record Parsed(Map<Setting, List<String>> values, List<String> errors) {}

    private ConfigFile() {}

    public static Parsed parse(String name, String text) {
        Map<Setting, List<String>> values = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        List<String> all = lines(text);
        String[] lines = all.toArray(String[]::new);
        if (lines.length > MAX_LINES) {
            errors.add(name + ": more than " + MAX_LINES + " lines");
            return new Parsed(values, errors);
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                errors.add(name + " line " + (i + 1) + ": expected key=value");
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            Setting s = Setting.byKey(key);
            if (s == null || s == Setting.CONFIG) {
                Setting near = Setting.closest(key.toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
                errors.add(name + " line " + (i + 1) + ": unknown setting '" + (key.length() > 64 ? key.substring(0, 64) + "..." : key)
                        + "'" + (near == null ? "" : "; did you mean '" + near.key() + "'?"));
                continue;
            }
            List<String> list = values.computeIfAbsent(s, k -> new ArrayList<>());
            if (s.kind() == Setting.Kind.LIST) {
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        list.add(part.strip());
                    }
                }
            } else {
                list.clear();
                list.add(value);
            }
        }
        return new Parsed(values, errors);
    }

    /** The text's lines, split at any line break as {@code text.split("\\R", -1)} would (CR LF is one), without a regex. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                out.add(text.substring(start, i));
                start = ++i + 1;
            } else if (c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }
}
