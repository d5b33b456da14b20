package p2pool4j.work;

import java.math.BigDecimal;

/**
 * A miner's username as the reference reads it (miner spec 4.2): {@code ADDRESS[.worker|_worker]}
 * followed by any of {@code +N} (fixed pseudo-share difficulty) and {@code /N} (desired sharechain
 * share difficulty), later ones winning, unparseable numbers ignored. The password {@code d=N} is
 * an alias for {@code +N}. The address is not validated here (that needs the share version).
 *
 * @param workerKey "ADDRESS.worker" (or just the address text): the per-worker stats key
 */
public record Username(String address, String worker, String workerKey, Double pseudoDifficulty, Double shareDifficulty) {
    static final int MAX_LENGTH = 256;

    public static Username parse(String user, String password) {
        String u = user == null ? "" : user.strip();
        if (u.length() > MAX_LENGTH) {
            u = u.substring(0, MAX_LENGTH);
        }
        Double pseudo = null;
        Double share = null;
        int cut = firstSeparator(u, 0);
        String head = cut < 0 ? u : u.substring(0, cut);
        while (cut >= 0) {
            char sep = u.charAt(cut);
            int next = firstSeparator(u, cut + 1);
            String num = u.substring(cut + 1, next < 0 ? u.length() : next);
            Double v = number(num);
            if (v != null) {
                if (sep == '+') {
                    pseudo = v;
                } else {
                    share = v;
                }
            }
            cut = next;
        }
        if (password != null && password.startsWith("d=")) {
            Double v = number(password.substring(2));
            if (v != null) {
                pseudo = v;
            }
        }
        String address = head;
        String worker = "";
        char sep = head.indexOf('_') >= 0 ? '_' : head.indexOf('.') >= 0 ? '.' : 0;
        if (sep != 0) {
            String[] parts = head.split(sep == '_' ? "_" : "\\.", -1);
            address = parts[0];
            worker = parts.length > 1 ? parts[1] : "";
        }
        String key = worker.isEmpty() ? address : address + "." + worker;
        return new Username(address, worker, key, pseudo, share);
    }

    private static int firstSeparator(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == '+' || s.charAt(i) == '/') {
                return i;
            }
        }
        return -1;
    }

    private static Double number(String s) {
        try {
            double d = new BigDecimal(s.strip()).doubleValue();
            return d > 0 && !Double.isInfinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
