package io.nativetls.interop;

/** What {@code openssl s_server}/{@code s_client -msg} printed about TLS 1.3 KeyUpdate messages. */
final class MsgTrace {
    /** A KeyUpdate openssl received. */
    static final String KEY_UPDATE_RECEIVED = "<<< TLS 1.3, Handshake [length 0005], KeyUpdate";
    /** A KeyUpdate openssl sent. */
    static final String KEY_UPDATE_SENT = ">>> TLS 1.3, Handshake [length 0005], KeyUpdate";

    private MsgTrace() {}

    /** How many times what occurs in output. */
    static int count(String output, String what) {
        int n = 0;
        for (int at = output.indexOf(what); at >= 0; at = output.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
