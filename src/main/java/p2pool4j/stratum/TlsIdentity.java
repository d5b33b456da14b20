package p2pool4j.stratum;

import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The TLS worker port's certificate and key: the operator's PEM files, or a self-signed pair made
 * by Vert.x at first start into {@code DATADIR/tls} and kept (so a rig that pinned it keeps
 * working after a restart). Its SHA-256 fingerprint (of the DER certificate, colon-separated hex,
 * as browsers and openssl print it) is what a rig pins. Blocking file work: call at start-up,
 * off any event loop.
 */
public record TlsIdentity(Path cert, Path key, String fingerprintSha256, boolean generated) {
    static final String CERT_FILE = "worker-cert.pem";
    static final String KEY_FILE = "worker-key.pem";

    /** The identity to serve with: the given files, or the datadir's own (made now if missing). */
    public static TlsIdentity resolve(Optional<Path> cert, Optional<Path> key, Path datadir) throws IOException {
        if (cert.isPresent() && key.isPresent()) {
            return new TlsIdentity(cert.get(), key.get(), fingerprint(cert.get()), false);
        }
        Path dir = datadir.resolve("tls");
        Path c = dir.resolve(CERT_FILE);
        Path k = dir.resolve(KEY_FILE);
        boolean made = false;
        if (!Files.exists(c) || !Files.exists(k)) {
            Files.createDirectories(dir);
            SelfSignedCertificate self = SelfSignedCertificate.create("p2pool4j");
            try {
                Files.copy(Path.of(self.privateKeyPath()), k, StandardCopyOption.REPLACE_EXISTING);
                restrict(k);
                Files.copy(Path.of(self.certificatePath()), c, StandardCopyOption.REPLACE_EXISTING);
                made = true;
            } finally {
                self.delete();
            }
        }
        return new TlsIdentity(c, k, fingerprint(c), made);
    }

    /** Vert.x's key/cert options for these files. */
    public PemKeyCertOptions options() {
        return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
    }

    /** SHA-256 of the first certificate in a PEM file, as AA:BB:...; a clear IOException when it is not one. */
    public static String fingerprint(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            X509Certificate x = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return fingerprint(x.getEncoded());
        } catch (CertificateException | ClassCastException e) {
            throw new IOException(pem + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    public static String fingerprint(byte[] der) {
        return p2pool4j.util.Fingerprint.sha256(der);
    }

    private static void restrict(Path key) {
        try {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: the datadir's own permissions protect it
        }
    }
}
