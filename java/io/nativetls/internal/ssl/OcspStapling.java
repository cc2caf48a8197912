package io.nativetls.internal.ssl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server's OCSP stapling, as SunJSSE's StatusResponseManager does it: for the certificate the
 * handshake chose, the response of its responder (the certificate's AIA OCSP URI, or
 * {@code jdk.tls.stapling.responderURI} when it has none or {@code responderOverride} is set),
 * cached per certificate until its nextUpdate or the cache lifetime, whichever comes first.
 * Only successful responses are stapled and cached. A responder that fails or is slower than
 * {@code jdk.tls.stapling.responseTimeout} leaves the handshake without a staple; a late answer
 * still fills the cache for the next one. One per SSLContext, read when it is initialised.
 */
final class OcspStapling {
    static final String ENABLE_PROPERTY = "jdk.tls.server.enableStatusRequestExtension";
    private static final System.Logger LOG = System.getLogger("io.nativetls");
    private static final long DEFAULT_TIMEOUT_MS = 5000;
    private static final int FETCH_TIMEOUT_MS = 15_000;
    private static final int DEFAULT_CACHE_SIZE = 256;
    private static final int DEFAULT_CACHE_LIFETIME = 3600;

    /** Fetches run here, never on the handshake thread: at most 8 at once, as SunJSSE's pool. */
    private static final ThreadPoolExecutor FETCHERS = new ThreadPoolExecutor(0, 8, 5, TimeUnit.SECONDS,
        new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "nativetls-ocsp-fetch");
            t.setDaemon(true);
            return t;
        });

    private final URI defaultResponder;
    private final boolean override;
    private final int cacheSize;
    private final int cacheLifetimeSeconds;
    private final Map<ByteBuffer, Entry> cache;
    private final Map<ByteBuffer, CompletableFuture<Entry>> inFlight = new ConcurrentHashMap<>();

    private static final class Entry {
        final byte[] response;
        final Instant expires; // null: never, by time

        Entry(byte[] response, Instant expires) {
            this.response = response;
            this.expires = expires;
        }
    }

    private OcspStapling() {
        String uri = System.getProperty("jdk.tls.stapling.responderURI");
        URI parsed = null;
        if (uri != null && !uri.isEmpty()) {
            try {
                parsed = new URI(uri);
            } catch (URISyntaxException e) {
                parsed = null; // SunJSSE ignores a malformed one too
            }
        }
        this.defaultResponder = parsed;
        this.override = Boolean.getBoolean("jdk.tls.stapling.responderOverride");
        int size = Integer.getInteger("jdk.tls.stapling.cacheSize", DEFAULT_CACHE_SIZE);
        this.cacheSize = Math.max(size, 0); // 0: unbounded
        int life = Integer.getInteger("jdk.tls.stapling.cacheLifetime", DEFAULT_CACHE_LIFETIME);
        this.cacheLifetimeSeconds = Math.max(life, 0); // 0: only nextUpdate limits an entry
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Entry> eldest) {
                return cacheSize > 0 && size() > cacheSize;
            }
        };
    }

    /** The context's stapler, or null when servers do not staple (the default, as SunJSSE's). */
    static OcspStapling fromProperties(DisabledExtensions serverExtensions) {
        if (!Boolean.getBoolean(ENABLE_PROPERTY) || serverExtensions.disables(DisabledExtensions.STATUS_REQUEST)) {
            return null;
        }
        return new OcspStapling();
    }

    /** Read per handshake, as SunJSSE does; negative: the default. */
    private static long timeoutMillis() {
        long t = Long.getLong("jdk.tls.stapling.responseTimeout", DEFAULT_TIMEOUT_MS);
        return t >= 0 ? t : DEFAULT_TIMEOUT_MS;
    }

    /** The response to staple for leafDer, one of the offered chains' leaves; null for none. */
    byte[] responseFor(byte[] leafDer, List<Credential> offered) {
        X509Certificate[] chain = chainOf(leafDer, offered);
        if (chain == null || chain.length < 2) {
            return null; // without the issuer there is no request to make
        }
        ByteBuffer key = ByteBuffer.wrap(leafDer.clone());
        Entry cached = cached(key);
        if (cached != null) {
            return cached.response.clone();
        }
        URI responder = responderOf(chain[0]);
        if (responder == null) {
            return null;
        }
        CompletableFuture<Entry> fetch = inFlight.computeIfAbsent(key, k -> start(k, chain[0], chain[1], responder));
        try {
            Entry e = fetch.get(timeoutMillis(), TimeUnit.MILLISECONDS);
            return e == null ? null : e.response.clone();
        } catch (TimeoutException e) {
            LOG.log(Level.DEBUG, "OCSP responder {0} did not answer in time: no staple", responder);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    private CompletableFuture<Entry> start(ByteBuffer key, X509Certificate leaf, X509Certificate issuer, URI responder) {
        CompletableFuture<Entry> f = new CompletableFuture<>();
        try {
            FETCHERS.execute(() -> {
                Entry e = null;
                try {
                    e = fetch(leaf, issuer, responder);
                    if (e != null && (e.expires != null || cacheLifetimeSeconds > 0)) {
                        synchronized (cache) {
                            cache.put(key, e);
                        }
                    }
                } catch (IOException | RuntimeException ex) {
                    LOG.log(Level.DEBUG, "OCSP fetch from {0} failed: {1}", responder, ex.toString());
                } finally {
                    inFlight.remove(key, f);
                    f.complete(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.complete(null); // every fetcher busy: no staple this time, as SunJSSE's full pool discards
            inFlight.remove(key, f);
        }
        return f;
    }

    private Entry cached(ByteBuffer key) {
        synchronized (cache) {
            Entry e = cache.get(key);
            if (e != null && e.expires != null && !Instant.now().isBefore(e.expires)) {
                cache.remove(key);
                return null;
            }
            return e;
        }
    }

    /** Asks the responder; a successful response with an entry for leaf, else null. */
    private Entry fetch(X509Certificate leaf, X509Certificate issuer, URI responder) throws IOException {
        byte[] request = OcspDer.request(leaf, issuer);
        HttpURLConnection http = (HttpURLConnection) responder.toURL().openConnection();
        try {
            // The handshake waits responseTimeout at most (responseFor); the fetch may take longer
            // and still fill the cache, up to the JDK's own OCSP client default.
            http.setConnectTimeout(FETCH_TIMEOUT_MS);
            http.setReadTimeout(FETCH_TIMEOUT_MS);
            http.setUseCaches(false);
            http.setDoOutput(true);
            http.setRequestMethod("POST");
            http.setRequestProperty("Content-Type", "application/ocsp-request");
            http.setFixedLengthStreamingMode(request.length);
            try (OutputStream out = http.getOutputStream()) {
                out.write(request);
            }
            if (http.getResponseCode() != HttpURLConnection.HTTP_OK) {
                throw new IOException("OCSP responder answered HTTP " + http.getResponseCode());
            }
            byte[] body;
            try (InputStream in = http.getInputStream()) {
                body = readAll(in);
            }
            BigInteger serial = leaf.getSerialNumber();
            OcspDer.Parsed parsed = OcspDer.parse(body, serial);
            if (parsed.responseStatus != OcspDer.SUCCESSFUL || !parsed.found) {
                return null;
            }
            Instant expires = parsed.nextUpdate;
            if (cacheLifetimeSeconds > 0) {
                Instant byLifetime = Instant.now().plusSeconds(cacheLifetimeSeconds);
                expires = expires == null || byLifetime.isBefore(expires) ? byLifetime : expires;
            }
            return new Entry(body, expires);
        } finally {
            http.disconnect();
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        for (int n; (n = in.read(b)) > 0; ) {
            out.write(b, 0, n);
            if (out.size() > 1 << 20) {
                throw new IOException("OCSP response larger than 1 MiB");
            }
        }
        return out.toByteArray();
    }

    private URI responderOf(X509Certificate leaf) {
        if (override && defaultResponder != null) {
            return defaultResponder;
        }
        URI fromCert = OcspDer.responder(leaf);
        return fromCert != null ? fromCert : defaultResponder;
    }

    private static X509Certificate[] chainOf(byte[] leafDer, List<Credential> offered) {
        for (Credential c : offered) {
            try {
                if (Arrays.equals(c.chain[0].getEncoded(), leafDer)) {
                    return c.chain;
                }
            } catch (CertificateEncodingException e) {
                // not this one
            }
        }
        return null;
    }
}
