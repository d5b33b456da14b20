package p2pool4j.work;

/**
 * Per-session difficulty aiming at one pseudo-share every {@code targetSeconds} (miner spec 3.14,
 * a simplified ckpool scheme): retarget after 16 shares or 60 s, at most every 30 s, only when the
 * rate is off by more than half, by at most x4 / x0.25, halving after 60 s without a share; the
 * result is clamped and rounded (integers for difficulties of 1 and above, as ASIC firmware
 * expects). Single-threaded (the session's event loop); the clock is passed in.
 */
public final class Vardiff {
    private final double targetSeconds;
    private final double min;
    private final double max;
    private double difficulty;
    private long windowStart;
    private int shares;
    private long lastRetarget;

    public Vardiff(double start, double min, double max, double targetSeconds, long nowMillis) {
        this.min = min;
        this.max = max;
        this.targetSeconds = targetSeconds;
        this.difficulty = round(clamp(start));
        this.windowStart = nowMillis;
        this.lastRetarget = nowMillis;
    }

    public double difficulty() {
        return difficulty;
    }

    public void set(double d, long nowMillis) {
        difficulty = round(clamp(d));
        windowStart = nowMillis;
        lastRetarget = nowMillis;
        shares = 0;
    }

    /** Records an accepted pseudo-share; returns the new difficulty if it should change, else NaN. */
    public double onShare(long nowMillis) {
        shares++;
        return maybeRetarget(nowMillis);
    }

    /** Called periodically: lowers the difficulty of a session that found nothing for a minute. */
    public double onTick(long nowMillis) {
        return maybeRetarget(nowMillis);
    }

    private double maybeRetarget(long now) {
        long elapsed = now - windowStart;
        if (now - lastRetarget < 30_000 && shares < 16) {
            return Double.NaN;
        }
        if (shares < 16 && elapsed < 60_000) {
            return Double.NaN;
        }
        double next;
        if (shares == 0) {
            next = difficulty / 2;
        } else {
            double rate = shares / (elapsed / 1000.0); // pseudo-shares per second at this difficulty
            double ratio = rate * targetSeconds;
            if (ratio > 0.5 && ratio < 1.5) {
                windowStart = now;
                shares = 0;
                lastRetarget = now;
                return Double.NaN;
            }
            next = difficulty * Math.max(0.25, Math.min(4, ratio));
        }
        next = round(clamp(next));
        windowStart = now;
        shares = 0;
        lastRetarget = now;
        if (next == difficulty) {
            return Double.NaN;
        }
        difficulty = next;
        return next;
    }

    private double clamp(double d) {
        return Math.max(min, Math.min(max, d));
    }

    static double round(double d) {
        if (d >= 1) {
            return Math.floor(d);
        }
        // keep 3 significant digits for sub-1 difficulties (CPU miners)
        double scale = Math.pow(10, 3 - Math.ceil(Math.log10(d)));
        return Math.floor(d * scale) / scale;
    }
}
