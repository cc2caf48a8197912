package io.nativetls.jdbc;

import io.nativetls.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A server certificate that the test CA signed for a name this test never connects to
 * (db.nativetls.test, no IP address): trusted, valid, and wrong for 127.0.0.1, so refusing it is
 * the host name check's doing alone.
 */
final class OtherNameCertificate {
    static final String NAME = "db.nativetls.test";

    final Path certificate;
    final Path key;

    private OtherNameCertificate(Path certificate, Path key) {
        this.certificate = certificate;
        this.key = key;
    }

    static OtherNameCertificate create(Path dir, TestPki pki) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path ext = dir.resolve("other.ext");
        Files.writeString(ext, "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
            + "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:" + NAME + "\n");
        Path key = dir.resolve("other.key");
        Path csr = dir.resolve("other.csr");
        Path cert = dir.resolve("other.pem");
        Commands.run(dir, List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-out", key.toString()));
        Commands.run(dir, List.of("openssl", "req", "-new", "-key", key.toString(), "-subj", "/CN=" + NAME,
            "-out", csr.toString()));
        Commands.run(dir, List.of("openssl", "x509", "-req", "-in", csr.toString(), "-CA", pki.file("ca.pem").toString(),
            "-CAkey", pki.file("ca.key").toString(), "-set_serial", String.valueOf(System.nanoTime()), "-days", "30",
            "-sha256", "-extfile", ext.toString(), "-out", cert.toString()));
        return new OtherNameCertificate(cert, key);
    }
}
