package p2pool4j.app;

import java.util.Map;

/** The effective configuration as check-config prints it: one line per setting, secrets masked, with each value's source. */
public final class ConfigReport {
    private ConfigReport() {}

    public static String render(Map<Setting, ConfigBuilder.Raw> effective) {
        StringBuilder sb = new StringBuilder();
        for (Setting s : Setting.values()) {
            ConfigBuilder.Raw r = effective.get(s);
            String value;
            String source;
            if (r == null) {
                value = s.kind() == Setting.Kind.FLAG ? "false" : "(none)";
                source = "default";
            } else {
                value = s.secret() ? "****" : String.join(",", r.values());
                source = r.source().name().toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            }
            sb.append(String.format("%-22s = %-50s # from %s%n", s.key(), value, source));
        }
        return sb.toString();
    }
}
