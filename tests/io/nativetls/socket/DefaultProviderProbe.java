package io.nativetls.socket;

import io.nativetls.NativeTlsProvider;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * Run in its own JVM by DefaultProviderTest: installs NativeTLS first, then fetches the URL in
 * args[0] with HttpsURLConnection and with HttpClient, both on their defaults (nothing passes a
 * context), printing one line per client: what answered, and through which provider.
 */
public final class DefaultProviderProbe {
    private DefaultProviderProbe() {}

    public static void main(String[] args) throws Exception {
        Security.insertProviderAt(new NativeTlsProvider(), 1);
        System.out.println("default " + SSLContext.getDefault().getProvider().getName());
        try {
            HttpsURLConnection c = (HttpsURLConnection) new URL(args[0]).openConnection();
            c.setConnectTimeout(10_000);
            c.setReadTimeout(10_000);
            int code = c.getResponseCode();
            String suite = c.getCipherSuite();
            String body;
            try (InputStream in = c.getInputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            System.out.println("urlconnection " + code + " " + suite + " " + body.contains("Cipher is"));
        } catch (Exception e) {
            System.out.println("urlconnection failed " + e.getClass().getName());
        }
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(args[0]))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            // The client's session is a JDK copy; the context it took by default names the provider.
            System.out.println("httpclient " + r.statusCode() + " " + client.sslContext().getProvider().getName() + " "
                + r.sslSession().map(javax.net.ssl.SSLSession::getProtocol).orElse("none") + " "
                + r.body().contains("Cipher is"));
        } catch (Exception e) {
            System.out.println("httpclient failed " + e.getClass().getName());
        }
    }
}
