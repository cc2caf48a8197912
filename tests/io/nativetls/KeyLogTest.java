package io.nativetls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.SavedProperty;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The NSS key log: written only when asked for, one well-formed line per secret, file mode 0600. */
@Timeout(60)
class KeyLogTest {
    private static final Pattern LINE = Pattern.compile("[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64,}");

    private static void handshake(SSLContext client, String protocol) throws Exception {
        SSLEngine c = client.createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        SSLEngine s = Contexts.server(Impl.SUN, "server-ec").createSSLEngine();
        s.setUseClientMode(false);
        new EnginePair(c, s).handshake();
    }

    @Test
    void secretsAreLoggedOnlyWhenAskedFor(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("keys.log");
        SSLContext logging;
        try (SavedProperty restored = SavedProperty.of("io.nativetls.keylog")) {
            System.setProperty("io.nativetls.keylog", log.toString());
            logging = Contexts.client(Impl.NATIVE);
        }
        SSLContext quiet = Contexts.client(Impl.NATIVE);
        handshake(quiet, "TLSv1.3");
        assertTrue(!Files.exists(log) || Files.size(log) == 0, "a context made without the property logs nothing");

        handshake(logging, "TLSv1.3");
        handshake(logging, "TLSv1.2");
        List<String> lines = Files.readAllLines(log);
        List<String> labels = new ArrayList<>();
        for (String line : lines) {
            assertTrue(LINE.matcher(line).matches(), "not an NSS key-log line: " + line);
            labels.add(line.substring(0, line.indexOf(' ')));
        }
        assertTrue(labels.containsAll(List.of("CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
            "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "CLIENT_RANDOM")), labels.toString());
        assertEquals(1, labels.stream().filter("CLIENT_RANDOM"::equals).count(), "one TLS 1.2 master secret");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
    }
}
