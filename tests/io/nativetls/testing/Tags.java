package io.nativetls.testing;

/**
 * The JUnit tags that let the test command run each test where it tells something without
 * running everything four times (scripts/test-all.sh says which stage runs which). A class
 * without a tag is part of the JSSE contract and runs in every stage. Plain {@code mvn verify}
 * runs all of them.
 */
public final class Tags {
    /**
     * Large volumes of hostile input or of re-entrant callback scenarios: their value is what the
     * sanitizers see, so they run once, against the ASan/UBSan build.
     */
    public static final String FUZZ = "fuzz";

    /** Long handshake loops that watch memory and threads: once, in the first stage. */
    public static final String SOAK = "soak";

    /**
     * Start other JVMs (installation, configuration files, system properties): about the JDK and
     * OpenSSL the library runs on, so every JDK and OpenSSL stage, but not the sanitizer stage.
     */
    public static final String JVM = "jvm";

    /** Talk to other programs (openssl s_server/s_client, curl, the CLI): every JDK and OpenSSL stage. */
    public static final String INTEROP = "interop";

    /** Drive frameworks and drivers (HTTP clients, servers, JDBC): every JDK and OpenSSL stage. */
    public static final String FRAMEWORKS = "frameworks";

    /**
     * Post-quantum authentication (ML-DSA keys and signature schemes): needs OpenSSL 3.5 and a JDK
     * with ML-DSA (24 on), so it tells something only in the jdk25-openssl-3.5 stage, which runs
     * this tag alone; elsewhere these tests skip themselves.
     */
    public static final String PQC = "pqc";

    /**
     * FIPS mode (io.nativetls.fips=true) and its fail-closed paths: needs OpenSSL 3.5 with its FIPS
     * module (scripts/build-openssl.sh PREFIX 3.5 fips), so it runs alone in the openssl-3.5-fips
     * stage, whose JVM starts in FIPS mode; elsewhere these tests skip themselves.
     */
    public static final String FIPS = "fips";

    private Tags() {}
}
