package io.nativetls.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.util.PSQLException;

/**
 * The PostgreSQL JDBC driver over NativeTLS, as an application gets it: NativeTLS installed as the
 * default provider, nothing else configured, the driver's own socket factory and host name check
 * (sslmode=verify-full against the test CA), a real PostgreSQL server from the system's packages on
 * 127.0.0.1 (see {@link PostgresServer}). Skipped only when no PostgreSQL server is installed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Tag(Tags.FRAMEWORKS)
class PostgresJdbcTest {
    private static final String INTERNAL = "io.nativetls.internal.";
    private static final int BLOB_BYTES = 8 << 20;

    private static final String NOT_INSTALLED = "no PostgreSQL server under /usr/lib/postgresql (Debian package "
        + "postgresql, which .ci/run installs): the JDBC test is skipped";

    private static PostgresServer server;
    private static NativeTlsFirst nativeTls;
    private static Path certificates;
    private static OtherNameCertificate otherName;

    @BeforeAll
    static void startServer() throws Exception {
        Optional<PostgresInstallation> pg = PostgresInstallation.find();
        if (pg.isEmpty()) {
            System.getLogger("io.nativetls.jdbc").log(System.Logger.Level.WARNING, NOT_INSTALLED);
            return;
        }
        TestPki pki = TestPki.get();
        server = PostgresServer.start(pg.get(), pki.file("server-ec.pem"), pki.file("server-ec.key"));
        certificates = Files.createTempDirectory("nativetls-jdbc-pki-");
        otherName = OtherNameCertificate.create(certificates, pki);
        nativeTls = NativeTlsFirst.install();
        try (Session s = connect("verify-full"); Statement st = s.connection.createStatement()) {
            st.execute("CREATE EXTENSION sslinfo");
            st.execute("CREATE TABLE blobs (id int PRIMARY KEY, data bytea NOT NULL)");
        }
    }

    /** Per test, not in @BeforeAll: Surefire counts and reports skipped tests, not a skipped class. */
    @BeforeEach
    void requireServer() {
        assumeTrue(server != null, NOT_INSTALLED);
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            if (nativeTls != null) {
                nativeTls.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (certificates != null) {
                try (var files = Files.list(certificates)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.delete(f);
                    }
                }
                Files.delete(certificates);
            }
        }
    }

    /** A connection and the TLS socket the driver made for it. */
    private static final class Session implements AutoCloseable {
        final Connection connection;
        final SSLSocket socket;

        Session(Connection connection, SSLSocket socket) {
            this.connection = connection;
            this.socket = socket;
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    private static Properties properties(String sslmode) {
        Properties p = new Properties();
        p.setProperty("user", PostgresServer.USER);
        p.setProperty("password", server.password);
        p.setProperty("sslmode", sslmode);
        p.setProperty("sslrootcert", TestPki.get().file("ca.pem").toString());
        p.setProperty("sslfactory", RecordingLibPqFactory.class.getName());
        p.setProperty("gssEncMode", "disable");
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "60");
        return p;
    }

    private static String url() {
        return "jdbc:postgresql://127.0.0.1:" + server.port + "/postgres";
    }

    private static Session connect(String sslmode) throws SQLException {
        RecordingLibPqFactory.SOCKETS.clear();
        Connection c = DriverManager.getConnection(url(), properties(sslmode));
        SSLSocket socket = RecordingLibPqFactory.SOCKETS.poll();
        assertNotNull(socket, "the driver made no TLS socket through its socket factory");
        assertNull(RecordingLibPqFactory.SOCKETS.poll(), "more than one TLS socket for one connection");
        return new Session(c, socket);
    }

    /** Fails unless the driver's socket, and the session it negotiated, are NativeTLS's (SunJSSE's are sun.security.ssl). */
    private static void assertNative(SSLSocket socket) {
        assertTrue(socket.getClass().getName().startsWith(INTERNAL), "not a NativeTLS socket: " + socket.getClass());
        assertTrue(socket.getSession().getClass().getName().startsWith(INTERNAL),
            "not a NativeTLS session: " + socket.getSession().getClass());
    }

    /** What the server says about this connection's TLS: sslinfo's functions and pg_stat_ssl for the backend. */
    private static void assertServerSees(Session s, String protocol) throws SQLException {
        try (Statement st = s.connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT ssl_is_used(), ssl_version(), ssl_cipher(), p.ssl, p.version, "
                 + "p.cipher, p.bits FROM pg_stat_ssl p WHERE p.pid = pg_backend_pid()")) {
            assertTrue(rs.next(), "no pg_stat_ssl row for this backend");
            assertTrue(rs.getBoolean(1), "ssl_is_used() is false");
            assertEquals(protocol, rs.getString(2));
            assertTrue(rs.getBoolean(4), "pg_stat_ssl.ssl is false");
            assertEquals(protocol, rs.getString(5));
            assertEquals(protocol, s.socket.getSession().getProtocol(), "client and server disagree on the protocol");
            if (protocol.equals("TLSv1.3")) {
                // TLS 1.3 suites have one name in OpenSSL and in Java (1.2 ones do not)
                assertEquals(s.socket.getSession().getCipherSuite(), rs.getString(6));
            }
            assertEquals(rs.getString(3), rs.getString(6));
            assertTrue(rs.getInt(7) >= 128, "cipher bits " + rs.getInt(7));
        }
    }

    @Test
    void verifyFullOverNativeTlsAsTheServerSeesIt() throws Exception {
        try (Session s = connect("verify-full")) {
            assertNative(s.socket);
            assertEquals(TestPki.get().certificate("server-ec"), s.socket.getSession().getPeerCertificates()[0]);
            assertServerSees(s, "TLSv1.3");
        }
    }

    @Test
    void connectionWithoutTlsRefusedByTheServer() {
        // proves the server's side of the checks above means something: no connection goes without TLS
        PSQLException e = assertThrows(PSQLException.class, () -> DriverManager.getConnection(url(), properties("disable")));
        assertEquals("28000", e.getSQLState(), e.toString());
        assertTrue(e.getMessage().contains("no encryption"), e.getMessage());
    }

    @Test
    void largeValuesBothWays() throws Exception {
        byte[] blob = new byte[BLOB_BYTES];
        new Random(17).nextBytes(blob);
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        try (Session s = connect("verify-full")) {
            assertNative(s.socket);
            Connection c = s.connection;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO blobs (id, data) VALUES (?, ?)")) {
                insert.setInt(1, 1);
                insert.setBytes(2, blob);
                assertEquals(1, insert.executeUpdate());
            }
            // what the server received, checked by the server
            try (PreparedStatement check = c.prepareStatement(
                "SELECT length(data), encode(sha256(data), 'hex') FROM blobs WHERE id = ?")) {
                check.setInt(1, 1);
                try (ResultSet rs = check.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(BLOB_BYTES, rs.getInt(1));
                    assertEquals(digest, rs.getString(2), "the server stored other bytes than were sent");
                }
            }
            try (PreparedStatement read = c.prepareStatement("SELECT data FROM blobs WHERE id = ?")) {
                read.setInt(1, 1);
                try (ResultSet rs = read.executeQuery()) {
                    assertTrue(rs.next());
                    assertArrayEquals(blob, rs.getBytes(1));
                }
            }
            assertServerGeneratedText(c);
            assertManyRows(c);
            assertServerSees(s, "TLSv1.3");
        } finally {
            try (Session s = connect("verify-full"); Statement st = s.connection.createStatement()) {
                st.execute("DELETE FROM blobs");
            }
        }
    }

    /** One value of about 6.9 MB made by the server, compared with the same text made here. */
    private static void assertServerGeneratedText(Connection c) throws SQLException {
        int count = 1_000_000;
        StringBuilder expected = new StringBuilder(7_000_000);
        for (int i = 1; i <= count; i++) {
            expected.append(i == 1 ? "" : ",").append(i);
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT string_agg(i::text, ',' ORDER BY i) FROM generate_series(1, "
                 + count + ") i")) {
            assertTrue(rs.next());
            String text = rs.getString(1);
            assertEquals(expected.length(), text.length());
            assertTrue(expected.toString().equals(text), "the text the server made arrived changed");
        }
    }

    /** 100,000 rows fetched 5,000 at a time (a cursor: many small reads on the socket), each checked. */
    private static void assertManyRows(Connection c) throws Exception {
        int count = 100_000;
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.setFetchSize(5_000);
            try (ResultSet rs = st.executeQuery("SELECT i, md5(i::text) FROM generate_series(1, " + count + ") i")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    assertEquals(n, rs.getInt(1));
                    String hash = HexFormat.of().formatHex(md5.digest(String.valueOf(n).getBytes(StandardCharsets.US_ASCII)));
                    if (!hash.equals(rs.getString(2))) {
                        fail("row " + n + ": md5 " + rs.getString(2) + ", expected " + hash);
                    }
                }
                assertEquals(count, n);
            }
        } finally {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    @Test
    void tls12WhenTheServerAllowsNoMore() throws Exception {
        setAndReload("ssl_max_protocol_version = 'TLSv1.2'");
        try {
            awaitNewSessions(s -> s.socket.getSession().getProtocol().equals("TLSv1.2"), "TLS 1.2");
            try (Session s = connect("verify-full")) {
                assertNative(s.socket);
                assertServerSees(s, "TLSv1.2");
                byte[] value = new byte[1 << 20];
                new Random(12).nextBytes(value);
                try (PreparedStatement echo = s.connection.prepareStatement("SELECT ?::bytea")) {
                    echo.setBytes(1, value);
                    try (ResultSet rs = echo.executeQuery()) {
                        assertTrue(rs.next());
                        assertArrayEquals(value, rs.getBytes(1));
                    }
                }
            }
        } finally {
            resetAndReload("ssl_max_protocol_version");
            awaitNewSessions(s -> s.socket.getSession().getProtocol().equals("TLSv1.3"), "TLS 1.3 again");
        }
    }

    @Test
    void certificateForAnotherNameRefused() throws Exception {
        X509Certificate other = certificate(otherName.certificate);
        presentCertificate(otherName.certificate, otherName.key, other);
        try {
            // the control: the chain is trusted (verify-ca accepts it), only the name is wrong
            try (Session s = connect("verify-ca")) {
                assertNative(s.socket);
                assertEquals(other, s.socket.getSession().getPeerCertificates()[0]);
            }
            PSQLException e = assertThrows(PSQLException.class, () -> connect("verify-full"));
            assertEquals("08006", e.getSQLState(), e.toString());
            assertTrue(e.getMessage().contains("The hostname 127.0.0.1 could not be verified"), e.getMessage());
            SSLSocket refused = RecordingLibPqFactory.SOCKETS.poll();
            assertNotNull(refused, "refused before any TLS socket was made");
            assertNative(refused);
        } finally {
            presentCertificate(server.serverCertificate(), server.serverKey(), TestPki.get().certificate("server-ec"));
        }
    }

    @Test
    void untrustedCertificateRefused() throws Exception {
        // self-signed, for localhost and 127.0.0.1: the name matches, the chain does not lead to the test CA
        X509Certificate rogue = TestPki.get().certificate("rogue");
        presentCertificate(TestPki.get().file("rogue.pem"), TestPki.get().file("rogue.key"), rogue);
        try {
            PSQLException e = assertThrows(PSQLException.class, () -> connect("verify-full"));
            assertEquals("08006", e.getSQLState(), e.toString());
            assertTrue(e.getCause() instanceof SSLHandshakeException, "cause: " + e.getCause());
            SSLSocket refused = RecordingLibPqFactory.SOCKETS.poll();
            assertNotNull(refused);
            assertTrue(refused.getClass().getName().startsWith(INTERNAL), "not a NativeTLS socket: " + refused.getClass());
        } finally {
            presentCertificate(server.serverCertificate(), server.serverKey(), TestPki.get().certificate("server-ec"));
        }
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }

    /** Makes the server present another certificate (ALTER SYSTEM and a reload), waiting until it does. */
    private static void presentCertificate(Path certificate, Path key, X509Certificate expected) throws Exception {
        Path[] files = server.installCertificate("presented", certificate, key);
        setAndReload("ssl_cert_file = '" + files[0] + "'", "ssl_key_file = '" + files[1] + "'");
        awaitNewSessions(s -> expected.equals(s.socket.getSession().getPeerCertificates()[0]),
            "certificate " + expected.getSubjectX500Principal());
    }

    private static void setAndReload(String... settings) throws SQLException {
        // sslmode=require: the administrative connection must work whatever the server presents
        try (Session s = connect("require"); Statement st = s.connection.createStatement()) {
            for (String setting : settings) {
                st.execute("ALTER SYSTEM SET " + setting);
            }
            st.execute("SELECT pg_reload_conf()");
        }
    }

    private static void resetAndReload(String setting) throws SQLException {
        try (Session s = connect("require"); Statement st = s.connection.createStatement()) {
            st.execute("ALTER SYSTEM RESET " + setting);
            st.execute("SELECT pg_reload_conf()");
        }
    }

    private interface SessionCheck {
        boolean test(Session s) throws Exception;
    }

    /**
     * pg_reload_conf() only signals the postmaster: connections are new in the reloaded
     * configuration once the postmaster has read it. Polls with fresh connections, 10 s at most.
     */
    private static void awaitNewSessions(SessionCheck check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Session s = connect("require")) {
                if (check.test(s)) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                fail("the server did not switch to " + what + " within 10 s:\n" + server.log());
            }
            Thread.sleep(50);
        }
    }
}
