package io.nativetls.internal.tool;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Certificates and private keys from PEM files, as OpenSSL writes them: certificate chains, PKCS#8
 * keys ("PRIVATE KEY"), and the traditional "RSA PRIVATE KEY" (PKCS#1) and "EC PRIVATE KEY" (SEC 1)
 * forms, which are wrapped into PKCS#8 here. Encrypted keys are refused with the command that
 * decrypts them.
 */
final class PemReader {
    /** KeyFactory algorithms tried in turn on a PKCS#8 key (each rejects keys of other types). */
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "X25519",
        "ML-DSA"}; // ML-DSA from JDK 24 (on older JDKs the factory is missing and skipped like a mismatch)

    /** One BEGIN/END block. */
    static final class Block {
        final String label;
        final String headers;
        final byte[] der;

        Block(String label, String headers, byte[] der) {
            this.label = label;
            this.headers = headers;
            this.der = der;
        }
    }

    private PemReader() {}

    static List<Block> blocks(Path file) throws ToolFailure {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ToolFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Block> blocks = new ArrayList<>();
        String label = null;
        StringBuilder headers = new StringBuilder();
        StringBuilder base64 = new StringBuilder();
        for (String raw : text.split("\r?\n")) {
            String line = raw.trim();
            if (label == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
                    label = line.substring(11, line.length() - 5);
                    headers.setLength(0);
                    base64.setLength(0);
                }
            } else if (line.equals("-----END " + label + "-----")) {
                try {
                    blocks.add(new Block(label, headers.toString(), Base64.getMimeDecoder().decode(base64.toString())));
                } catch (IllegalArgumentException e) {
                    throw new ToolFailure(file + ": the " + label + " block is not valid base64", e);
                }
                label = null;
            } else if (line.contains(":")) {
                headers.append(line).append('\n');
            } else {
                base64.append(line);
            }
        }
        if (label != null) {
            throw new ToolFailure(file + ": the " + label + " block has no END line");
        }
        return blocks;
    }

    /** Every certificate in file, in order (leaf first for a chain). */
    static List<X509Certificate> certificates(Path file) throws ToolFailure {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.label.equals("CERTIFICATE") || b.label.equals("TRUSTED CERTIFICATE")) {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (CertificateException e) {
            throw new ToolFailure(file + ": a certificate could not be parsed: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new ToolFailure(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certs;
    }

    /** The one private key in file. */
    static PrivateKey privateKey(Path file) throws ToolFailure {
        for (Block b : blocks(file)) {
            switch (b.label) {
                case "PRIVATE KEY":
                    return pkcs8(file, b.der);
                case "RSA PRIVATE KEY":
                case "EC PRIVATE KEY":
                    if (b.headers.contains("ENCRYPTED")) {
                        throw encrypted(file);
                    }
                    return pkcs8(file, b.label.startsWith("RSA") ? wrapRsa(b.der) : wrapEc(file, b.der));
                case "ENCRYPTED PRIVATE KEY":
                    throw encrypted(file);
                default:
                    break; // certificates, EC PARAMETERS (openssl ecparam -genkey writes them first)
            }
        }
        throw new ToolFailure(file + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static ToolFailure encrypted(Path file) {
        return new ToolFailure(file + " is an encrypted private key, which this tool does not decrypt; write an"
            + " unencrypted copy with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key-unencrypted.pem");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws ToolFailure {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this type: try the next
            }
        }
        throw new ToolFailure(file + ": the private key is not an RSA, EC, Ed25519 or Ed448 key this Java can read");
    }

    /** PKCS#1 RSAPrivateKey inside PKCS#8: version 0, rsaEncryption with NULL parameters. */
    private static byte[] wrapRsa(byte[] pkcs1) {
        return Der.tlv(Der.SEQUENCE, new byte[] {Der.INTEGER, 1, 0},
            Der.tlv(Der.SEQUENCE, Der.RSA_ENCRYPTION, new byte[] {Der.NULL, 0}),
            Der.tlv(Der.OCTET_STRING, pkcs1));
    }

    /**
     * SEC 1 ECPrivateKey inside PKCS#8: the curve moves to the AlgorithmIdentifier, so it must be named
     * in the key's [0] parameters (OpenSSL always writes them).
     */
    private static byte[] wrapEc(Path file, byte[] sec1) throws ToolFailure {
        try {
            Der.Element key = Der.read(sec1, 0, sec1.length);
            if (key.tag != Der.SEQUENCE) {
                throw new IllegalArgumentException("not a SEQUENCE");
            }
            int pos = key.contentStart;
            while (pos < key.end) {
                Der.Element e = Der.read(sec1, pos, key.end);
                if (e.tag == 0xa0) {
                    Der.Element curve = Der.read(sec1, e.contentStart, e.end);
                    if (curve.tag != Der.OID) {
                        throw new ToolFailure(file + ": the EC key has explicit curve parameters; only named curves"
                            + " are supported (openssl pkcs8 -topk8 -nocrypt converts it to PKCS#8)");
                    }
                    byte[] oid = Arrays.copyOfRange(sec1, curve.start, curve.end);
                    return Der.tlv(Der.SEQUENCE, new byte[] {Der.INTEGER, 1, 0},
                        Der.tlv(Der.SEQUENCE, Der.EC_PUBLIC_KEY, oid), Der.tlv(Der.OCTET_STRING, sec1));
                }
                pos = e.end;
            }
            throw new ToolFailure(file + ": the EC PRIVATE KEY does not name its curve; convert it with"
                + " openssl pkcs8 -topk8 -nocrypt");
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(file + ": the EC PRIVATE KEY is not valid DER (" + e.getMessage() + ")", e);
        }
    }
}
