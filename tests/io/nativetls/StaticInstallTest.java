package io.nativetls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * NativeTLS named in a java.security override ({@code security.provider.1=NativeTLS}, the JDK's
 * providers after it) is found by name through ServiceLoader, in a fresh JVM, and serves
 * SSLContext.getDefault() and getInstance("TLS").
 */
@Timeout(60)
class StaticInstallTest {
    @Test
    void javaSecurityNamesTheProvider(@TempDir Path dir) throws Exception {
        StringBuilder props = new StringBuilder("security.provider.1=NativeTLS\n");
        for (int i = 1; Security.getProperty("security.provider." + i) != null; i++) {
            props.append("security.provider.").append(i + 1).append('=')
                .append(Security.getProperty("security.provider." + i)).append('\n');
        }
        Path file = dir.resolve("nativetls.security");
        Files.writeString(file, props.toString());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.security.properties=" + file));
        String lib = System.getProperty("io.nativetls.library.path");
        if (lib != null) {
            cmd.add("-Dio.nativetls.library.path=" + lib);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StaticInstallProbe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(50, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("first NativeTLS\n"), out);
        assertTrue(out.contains("default NativeTLS\n"), out);
        assertTrue(out.contains("tls NativeTLS TLSv1.3,TLSv1.2\n"), out);
    }
}
