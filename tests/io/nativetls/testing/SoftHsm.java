package io.nativetls.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * A real PKCS#11 token for the tests: a fresh SoftHSM2 token, reached through the JDK's
 * SunPKCS11 provider as an application would, with OpenSC's pkcs11-spy between the two so the
 * test can count the signatures the token itself made (C_SignInit calls in the spy's log).
 *
 * SoftHSM2 and the spy read their configuration from the environment when SunPKCS11 loads them,
 * so surefire sets SOFTHSM2_CONF, PKCS11SPY and PKCS11SPY_OUTPUT (pom.xml, per test stage);
 * this fixture writes the file SOFTHSM2_CONF names, initialises the token with softhsm2-util and
 * makes keys in it with the token's own key generation, non-extractable and sensitive. Their
 * certificates are made by the test CA (openssl x509 -new -force_pubkey), so the key never
 * leaves the token, not even to be certified.
 */
public final class SoftHsm {
    public static final char[] PIN = "1234".toCharArray();
    private static final String SO_PIN = "12345678";
    private static final String LABEL = "nativetls-test";
    private static final Path SPY = Path.of("/usr/lib/" + multiarch() + "/pkcs11/pkcs11-spy.so");

    private static SoftHsm instance;

    public final Provider provider;
    public final KeyStore keyStore;
    private final Path spyLog;
    private final Path dir;

    private SoftHsm(Provider provider, KeyStore keyStore, Path spyLog, Path dir) {
        this.provider = provider;
        this.keyStore = keyStore;
        this.spyLog = spyLog;
        this.dir = dir;
    }

    /** The token of this test JVM, made on first use; its provider is installed (last). */
    public static synchronized SoftHsm get() {
        if (instance == null) {
            try {
                instance = create();
            } catch (IOException | InterruptedException | GeneralSecurityException e) {
                throw new IllegalStateException("setting up the SoftHSM2 token failed: " + e, e);
            }
        }
        return instance;
    }

    private static SoftHsm create() throws IOException, InterruptedException, GeneralSecurityException {
        String confVariable = System.getenv("SOFTHSM2_CONF");
        String spyLogVariable = System.getenv("PKCS11SPY_OUTPUT");
        if (confVariable == null || spyLogVariable == null || System.getenv("PKCS11SPY") == null) {
            throw new IllegalStateException("SOFTHSM2_CONF, PKCS11SPY and PKCS11SPY_OUTPUT are not set: run the "
                + "test through Maven (pom.xml sets them for surefire)");
        }
        if (!Files.isRegularFile(SPY) || !Files.isRegularFile(Path.of(System.getenv("PKCS11SPY")))) {
            throw new IllegalStateException("the PKCS#11 token needs SoftHSM2 and OpenSC's pkcs11-spy (" + SPY + ", "
                + System.getenv("PKCS11SPY") + "): apt-get install softhsm2 opensc-pkcs11 (.ci/run does)");
        }
        Path conf = Path.of(confVariable).toAbsolutePath();
        Path dir = conf.getParent();
        Path tokens = dir.resolve("tokens");
        deleteTree(dir);
        Files.createDirectories(tokens);
        Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
            + "log.level = ERROR\nslots.removable = false\n");
        String out = run(dir, "softhsm2-util", "--init-token", "--free", "--label", LABEL, "--so-pin", SO_PIN,
            "--pin", new String(PIN));
        Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
        if (!slot.find()) {
            throw new IOException("softhsm2-util did not say which slot holds the token: " + out);
        }
        // Keys made in the token are token objects, sensitive and never extractable: what an HSM holds.
        String config = "--name=SoftHSM\nlibrary=" + SPY + "\nslot=" + slot.group(1) + "\n"
            + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n  CKA_TOKEN = true\n  CKA_SENSITIVE = true\n"
            + "  CKA_EXTRACTABLE = false\n}\n"
            + "attributes(generate, CKO_PUBLIC_KEY, *) = {\n  CKA_TOKEN = true\n}\n";
        Provider provider = Security.getProvider("SunPKCS11").configure(config);
        Security.addProvider(provider);
        KeyStore ks = KeyStore.getInstance("PKCS11", provider);
        ks.load(null, PIN);
        return new SoftHsm(provider, ks, Path.of(spyLogVariable), dir);
    }

    /**
     * Makes a key pair in the token (kind "RSA" 2048 bits or "EC" P-256), has the test CA certify
     * its public key for subject with the extensions file ext of the test PKI, and stores the
     * chain with the key under alias. Returns the private key (a SunPKCS11 handle).
     */
    public synchronized PrivateKey generate(String alias, String kind, String subject, String ext)
        throws GeneralSecurityException, IOException, InterruptedException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(kind, provider);
        if (kind.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        KeyPair pair = generator.generateKeyPair();
        if (pair.getPrivate().getEncoded() != null) {
            throw new IllegalStateException("the token's key can be exported: " + pair.getPrivate());
        }
        TestPki pki = TestPki.get();
        Path pub = dir.resolve(alias + ".pub.pem");
        Path cert = dir.resolve(alias + ".pem");
        Files.writeString(pub, "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
        run(pki.dir, "openssl", "x509", "-new", "-subj", subject, "-force_pubkey", pub.toString(), "-CA", "ca.pem",
            "-CAkey", "ca.key", "-days", "30", "-sha256", "-extfile", ext, "-set_serial",
            String.valueOf(System.nanoTime()), "-out", cert.toString());
        X509Certificate certificate;
        try (var in = Files.newInputStream(cert)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        keyStore.setKeyEntry(alias, pair.getPrivate(), null,
            new Certificate[] {certificate, pki.certificate("ca")});
        return pair.getPrivate();
    }

    /** Logs the token out: its keys stay, signing with them fails until {@link #login}. */
    public void logout() throws javax.security.auth.login.LoginException {
        ((java.security.AuthProvider) provider).logout();
    }

    /** Logs in with the user PIN (SunPKCS11 asks the callback for it). */
    public void login() throws javax.security.auth.login.LoginException {
        ((java.security.AuthProvider) provider).login(null, callbacks -> {
            for (javax.security.auth.callback.Callback c : callbacks) {
                ((javax.security.auth.callback.PasswordCallback) c).setPassword(PIN);
            }
        });
    }

    /** The certificate stored under alias. */
    public X509Certificate certificate(String alias) throws GeneralSecurityException {
        return (X509Certificate) keyStore.getCertificate(alias);
    }

    /** The key manager an application makes over the token: PKIX over the PKCS11 key store. */
    public KeyManager[] keyManagers() throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keyStore, PIN);
        return kmf.getKeyManagers();
    }

    /** The signatures the token has begun since the token was opened: C_SignInit calls the spy logged. */
    public long signatures() throws IOException {
        if (!Files.exists(spyLog)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(spyLog, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.matches("\\d+: C_SignInit\\b.*")).count();
        }
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.delete(all.get(i));
        }
    }

    private static String multiarch() {
        String arch = System.getProperty("os.arch");
        return (arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch) + "-linux-gnu";
    }
}
