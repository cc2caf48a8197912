package io.nativetls.internal.jni;

/**
 * Signs for OpenSSL with a private key that stays in Java (a PKCS#11 token's, an HSM's, any JCA
 * provider's). The native side calls it on the thread of the handshake that needs the signature;
 * what it throws becomes the cause of that handshake's failure.
 */
public interface KeySigner {
    /**
     * The signature of message, in the encoding TLS carries (DER for ECDSA).
     *
     * @param digest the JCA digest name ("SHA-256"), or null for EdDSA, which signs the message itself
     * @param pssSaltLength RSASSA-PSS with MGF1 over digest and this salt length in bytes; -1 for
     *     PKCS #1 v1.5, ECDSA and EdDSA
     */
    byte[] sign(String digest, int pssSaltLength, byte[] message) throws Exception;
}
