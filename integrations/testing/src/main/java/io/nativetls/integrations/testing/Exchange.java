package io.nativetls.integrations.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The exchange every adapter test makes: the JDK's HttpClient (SunJSSE) POSTs 1 MiB to a server
 * whose TLS should be NativeTLS's, and the server answers with another 1 MiB and, in headers, what
 * it saw: the request body's SHA-256 and its own view of the connection.
 */
public final class Exchange {
    public static final int SIZE = 1 << 20;
    /** Response header: hex SHA-256 of the request body as the server received it. */
    public static final String REQUEST_SHA256 = "X-Request-Sha256";
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final byte[] REQUEST = pattern(SIZE, 17);
    private static final byte[] RESPONSE = pattern(SIZE, 91);

    private Exchange() {}

    /** What clients send: numbered 64-byte lines, so a lost or repeated record shows as a mismatch. */
    public static byte[] requestBody() {
        return REQUEST.clone();
    }

    /** What servers answer. */
    public static byte[] responseBody() {
        return RESPONSE.clone();
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs the request body to {@code url} with HTTP {@code version} forced (no fallback) and checks both bodies. */
    public static HttpResponse<byte[]> post(String url, HttpClient.Version version)
        throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().sslContext(TestKeys.get().sunJsseClient()).version(version)
            .connectTimeout(TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(REQUEST)).build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), () -> "status; body: " + new String(response.body()));
        // The JDK client falls back to HTTP/1.1 when ALPN does not give h2: asking for h2 is not proof.
        assertEquals(version, response.version(), "HTTP version negotiated");
        assertEquals(sha256(REQUEST), response.headers().firstValue(REQUEST_SHA256).orElse(null),
            "the request body as the server received it");
        assertArrayEquals(RESPONSE, response.body(), "response body");
        return response;
    }

    private static byte[] pattern(int size, int seed) {
        byte[] out = new byte[size];
        StringBuilder line = new StringBuilder(64);
        for (int at = 0, n = 0; at < size; n++) {
            line.setLength(0);
            line.append("line ").append(n).append(" seed ").append(seed).append(' ');
            while (line.length() < 63) {
                line.append((char) ('a' + (n + line.length()) % 26));
            }
            line.append('\n');
            for (int i = 0; i < line.length() && at < size; i++) {
                out[at++] = (byte) line.charAt(i);
            }
        }
        return out;
    }
}
