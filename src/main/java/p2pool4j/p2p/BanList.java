package p2pool4j.p2p;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bans by IP (protocol spec 4.5): each offence raises the IP's score by one and bans it for
 * base x score^2 seconds (base 3600 for misbehaviour, 30 for a failed request). Loopback is never
 * banned. Unlike the reference, whose forgiveness task never runs, scores decay by one every hour
 * without offence. Single-threaded (the peer manager's context); times in seconds are passed in.
 */
public final class BanList {
    public static final long BASE_MISBEHAVING = 3600;
    public static final long BASE_FAILED_REQUEST = 30;
    static final long FORGIVE_EVERY = 3600;
    static final int MAX_ENTRIES = 100_000;

    /** A ban as the UI shows it. */
    public record Ban(String ip, int score, long until, String reason) {}

    private static final class Entry {
        int score;
        long until;
        long lastOffence;
        String reason;
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /** Records an offence; returns the ban's end, or 0 when the IP is exempt (loopback). */
    public long offence(String ip, long baseSeconds, String reason, long now) {
        if (NetAddress.isBanExempt(ip)) {
            return 0;
        }
        decay(now);
        if (entries.size() >= MAX_ENTRIES && !entries.containsKey(ip)) {
            return 0; // refuse to grow without bound; the connection is dropped anyway
        }
        Entry e = entries.computeIfAbsent(ip, k -> new Entry());
        e.score++;
        e.until = Math.max(e.until, now + baseSeconds * e.score * e.score);
        e.lastOffence = now;
        e.reason = reason;
        return e.until;
    }

    public boolean isBanned(String ip, long now) {
        Entry e = entries.get(ip);
        return e != null && e.until > now;
    }

    /** Forgiveness: one point per full hour since the last offence; clean entries are dropped. */
    public void decay(long now) {
        entries.values().removeIf(e -> {
            long hours = (now - e.lastOffence) / FORGIVE_EVERY;
            if (hours > 0) {
                e.score = (int) Math.max(0, e.score - hours);
                e.lastOffence += hours * FORGIVE_EVERY;
            }
            return e.score == 0 && e.until <= now;
        });
    }

    public List<Ban> active(long now) {
        List<Ban> out = new ArrayList<>();
        entries.forEach((ip, e) -> {
            if (e.until > now) {
                out.add(new Ban(ip, e.score, e.until, e.reason));
            }
        });
        return out;
    }

    int score(String ip) {
        Entry e = entries.get(ip);
        return e == null ? 0 : e.score;
    }
}
