package p2pool4j.p2p;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import p2pool4j.bitcoin.ByteReader;
import p2pool4j.bitcoin.ByteWriter;
import p2pool4j.bitcoin.ParseException;

/**
 * The protocol's {@code address}: services, a 16-byte IP (IPv4 mapped as ::ffff:a.b.c.d) and a
 * big-endian port. The host text is a dotted quad, or eight groups of four lowercase hex digits
 * (the only two forms the reference writes and accepts).
 */
public record NetAddress(long services, String host, int port) {
    public static NetAddress read(ByteReader r) {
        long services = r.u64le();
        byte[] ip = r.bytes(16);
        int port = r.u16be();
        return new NetAddress(services, hostOf(ip), port);
    }

    public void write(ByteWriter w) {
        w.u64le(services).bytes(ipBytes(host)).u16be(port);
    }

    static String hostOf(byte[] ip) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= ip[i] == 0;
        }
        mapped &= ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
        if (mapped) {
            return (ip[12] & 0xff) + "." + (ip[13] & 0xff) + "." + (ip[14] & 0xff) + "." + (ip[15] & 0xff);
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x%02x", ip[i] & 0xff, ip[i + 1] & 0xff));
        }
        return sb.toString();
    }

    /** 16 bytes of a literal IPv4 or IPv6 address (never a DNS lookup). */
    static byte[] ipBytes(String host) {
        byte[] out = new byte[16];
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] parts = host.split("\\.");
            out[10] = (byte) 0xff;
            out[11] = (byte) 0xff;
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    throw new ParseException("not an IPv4 address: " + host);
                }
                out[12 + i] = (byte) v;
            }
            return out;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!h.contains(":") || !h.matches("[0-9A-Fa-f:.]+")) {
            throw new ParseException("not an IP address: " + host);
        }
        try {
            byte[] b = InetAddress.getByName(h).getAddress(); // a literal: no lookup happens
            if (b.length == 4) {
                out[10] = (byte) 0xff;
                out[11] = (byte) 0xff;
                System.arraycopy(b, 0, out, 12, 4);
                return out;
            }
            return b;
        } catch (UnknownHostException e) {
            throw new ParseException("not an IP address: " + host);
        }
    }

    /** The canonical protocol text of any literal IP (e.g. "::1" becomes 0000:...:0001). */
    public static String canonical(String host) {
        return hostOf(ipBytes(host)).toLowerCase(Locale.ROOT);
    }

    public boolean isLoopback() {
        return isLoopback(host);
    }

    static boolean isLoopback(String host) {
        return host.startsWith("127.") || host.equals("0000:0000:0000:0000:0000:0000:0000:0001") || host.equals("::1");
    }

    /** Never banned: exactly 127.0.0.1 (as the reference) and ::1; other 127/8 addresses can be. */
    static boolean isBanExempt(String host) {
        return host.equals("127.0.0.1") || host.equals("0000:0000:0000:0000:0000:0000:0000:0001") || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1");
    }
}
