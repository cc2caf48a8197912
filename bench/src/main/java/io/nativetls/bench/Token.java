package io.nativetls.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * A SoftHSM2 token for the HSM benchmark: initialised fresh in the directory of the file that
 * SOFTHSM2_CONF names (SoftHSM2 reads that variable itself, so it must be set before the JVM
 * starts), one server key made inside it (non-extractable, sensitive), certified by the benchmark
 * CA, reached through SunPKCS11 and a SunX509 key manager over the PKCS11 key store, as an
 * application configures a token.
 */
final class Token {
    private static final char[] PIN = "1234".toCharArray();

    private Token() {}

    /** Key managers holding one key of type in a new token. */
    static KeyManager[] serverKeys(Pki.KeyType type) throws Exception {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException("set SOFTHSM2_CONF to a file path the benchmark may write "
                + "(e.g. SOFTHSM2_CONF=/tmp/bench-hsm/softhsm2.conf); needs apt-get install softhsm2");
        }
        Path dir = Path.of(conf).toAbsolutePath().getParent();
        Path tokens = dir.resolve("tokens-" + ProcessHandle.current().pid());
        Files.createDirectories(tokens);
        // Each JMH fork gets its own token directory; SoftHSM2 reads the file when SunPKCS11 loads it.
        Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
            + "log.level = ERROR\nslots.removable = false\n");
        String label = "bench-" + ProcessHandle.current().pid();
        Process p = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin",
            "12345678", "--pin", new String(PIN)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("softhsm2-util --init-token failed: " + out);
        }
        Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
        if (!slot.find()) {
            throw new IOException("no slot in softhsm2-util's answer: " + out);
        }
        Provider pkcs11 = Security.getProvider("SunPKCS11").configure("--name=BenchToken\n"
            + "library=/usr/lib/softhsm/libsofthsm2.so\nslot=" + slot.group(1) + "\n"
            + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n CKA_TOKEN = true\n CKA_SENSITIVE = true\n"
            + " CKA_EXTRACTABLE = false\n}\nattributes(generate, CKO_PUBLIC_KEY, *) = {\n CKA_TOKEN = true\n}\n");
        Security.addProvider(pkcs11);
        KeyStore store = KeyStore.getInstance("PKCS11", pkcs11);
        store.load(null, PIN);
        KeyPairGenerator generator = KeyPairGenerator.getInstance(type == Pki.KeyType.EC_P256 ? "EC" : "RSA", pkcs11);
        if (type == Pki.KeyType.EC_P256) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        KeyPair pair = generator.generateKeyPair();
        if (pair.getPrivate().getEncoded() != null) {
            throw new IllegalStateException("the token's key is exportable: " + pair.getPrivate());
        }
        Pki pki = Pki.get();
        store.setKeyEntry("server", pair.getPrivate(), null,
            new Certificate[] {pki.certify(pair.getPublic()), pki.ca()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PIN);
        return kmf.getKeyManagers();
    }
}
