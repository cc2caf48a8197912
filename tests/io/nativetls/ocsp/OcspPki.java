package io.nativetls.ocsp;

import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A CA whose server certificates name an OCSP responder on loopback, and that responder:
 * {@code openssl ocsp -index} signing with a delegated responder certificate, knowing "good"
 * (valid) and "revoked", not "unknown". Each certificate is for localhost/127.0.0.1. The
 * responder's log line per request lets tests count how often it was asked. One per test JVM,
 * started on first use; its process ends with the JVM.
 */
final class OcspPki {
    static final String[] LEAVES = {"good", "revoked", "unknown"};
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static OcspPki instance;

    final Path dir;
    final int port;
    private final ChildProcess responder;

    private OcspPki(Path dir, int port, ChildProcess responder) {
        this.dir = dir;
        this.port = port;
        this.responder = responder;
    }

    static synchronized OcspPki get() throws IOException, InterruptedException {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    private static OcspPki create() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("nativetls-ocsp-");
        dir.toFile().deleteOnExit();
        int port = ChildProcess.freePort();
        Files.writeString(dir.resolve("ca.ext"),
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n");
        Files.writeString(dir.resolve("leaf.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
                + "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                + "authorityInfoAccess=OCSP;URI:http://127.0.0.1:" + port + "\n");
        Files.writeString(dir.resolve("responder.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=OCSPSigning\n");
        key(dir, "ca");
        openssl(dir, "req -new -key ca.key -subj /CN=NativeTLS-OCSP-Test-CA -out ca.csr");
        openssl(dir, "x509 -req -in ca.csr -signkey ca.key -days 30 -sha256 -extfile ca.ext -out ca.pem");
        for (String leaf : LEAVES) {
            signed(dir, leaf, "/CN=localhost", "leaf.ext");
        }
        signed(dir, "responder", "/CN=NativeTLS-OCSP-Responder", "responder.ext");
        DateTimeFormatter asn1 = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String expiry = asn1.format(now.plusDays(30));
        String revokedAt = asn1.format(now.minusHours(1));
        Files.writeString(dir.resolve("index.txt"),
            "V\t" + expiry + "\t\t" + serial(dir, "good") + "\tunknown\t/CN=localhost\n"
                + "R\t" + expiry + "\t" + revokedAt + "\t" + serial(dir, "revoked") + "\tunknown\t/CN=localhost\n");
        // -port takes no address in OpenSSL 3.0/3.5: the responder listens on every interface, tests use loopback.
        ChildProcess responder = ChildProcess.in(dir).systemLibraries().openssl(List.of("ocsp", "-index", "index.txt",
            "-port", String.valueOf(port), "-rsigner", "responder.pem", "-rkey", "responder.key", "-CA", "ca.pem",
            "-nmin", "60", "-ignore_err"));
        Runtime.getRuntime().addShutdownHook(new Thread(responder::close));
        if (!responder.awaitOutput("waiting for OCSP client connections", WAIT)) {
            responder.close();
            throw new IOException("openssl ocsp did not start: " + responder.output());
        }
        OcspPki pki = new OcspPki(dir, port, responder);
        for (String leaf : LEAVES) {
            pki.fetchResponse(leaf);
        }
        return pki;
    }

    /** Asks the responder (as a client would) and keeps its DER answer in name.der. */
    private void fetchResponse(String name) throws IOException, InterruptedException {
        ChildProcess.in(dir).systemLibraries().run(List.of("openssl", "ocsp", "-issuer", "ca.pem", "-cert",
            name + ".pem", "-url", responderUri().toString(), "-respout", name + ".der", "-CAfile", "ca.pem"),
            null, WAIT).requireSuccess();
    }

    URI responderUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The DER response the responder produced for name, as stapled by s_server -status_file. */
    byte[] response(String name) throws IOException {
        return Files.readAllBytes(dir.resolve(name + ".der"));
    }

    /** Requests the responder has received so far (its log has one line per request). */
    int requestsServed() {
        Matcher m = Pattern.compile("Received request").matcher(responder.output());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    X509Certificate certificate(String name) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(
            dir.resolve(name + ".pem"))));
    }

    /** Key managers for name's key with the chain name, CA (the issuer lets a server ask for its status). */
    KeyManager[] keyManagers(String name) throws Exception {
        String pem = Files.readString(dir.resolve(name + ".key"));
        byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(name, KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)),
            TestPki.PASSWORD, new java.security.cert.Certificate[] {certificate(name), certificate("ca")});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, TestPki.PASSWORD);
        return kmf.getKeyManagers();
    }

    /**
     * SunJSSE's PKIX trust manager trusting this CA and checking the leaf's revocation by OCSP
     * only, as applications configure stapling: ONLY_END_ENTITY, NO_FALLBACK, and a responder
     * override pointing at a closed port, so a status can come from the staple alone.
     */
    TrustManager[] revocationTrustManagers() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", certificate("ca"));
        PKIXBuilderParameters params = new PKIXBuilderParameters(ts, new X509CertSelector());
        PKIXRevocationChecker checker = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX")
            .getRevocationChecker();
        checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY,
            PKIXRevocationChecker.Option.NO_FALLBACK));
        checker.setOcspResponder(URI.create("http://127.0.0.1:" + ChildProcess.freePort()));
        params.addCertPathChecker(checker);
        params.setRevocationEnabled(true);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(new CertPathTrustManagerParameters(params));
        return tmf.getTrustManagers();
    }

    /** Trust in this CA without revocation checking. */
    TrustManager[] trustManagers() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", certificate("ca"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        return tmf.getTrustManagers();
    }

    private static void key(Path dir, String name) throws IOException, InterruptedException {
        openssl(dir, "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + name + ".key");
    }

    private static void signed(Path dir, String name, String subject, String ext) throws IOException,
        InterruptedException {
        key(dir, name);
        openssl(dir, "req -new -key " + name + ".key -subj " + subject + " -out " + name + ".csr");
        openssl(dir, "x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -sha256"
            + " -extfile " + ext + " -out " + name + ".pem");
    }

    private static String serial(Path dir, String name) throws IOException, InterruptedException {
        String out = openssl(dir, "x509 -in " + name + ".pem -noout -serial").trim();
        return out.substring(out.indexOf('=') + 1);
    }

    private static String openssl(Path dir, String args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args.split(" ")));
        return ChildProcess.in(dir).systemLibraries().run(cmd, null, WAIT).requireSuccess();
    }
}
