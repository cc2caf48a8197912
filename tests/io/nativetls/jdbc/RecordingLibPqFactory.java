package io.nativetls.jdbc;

import java.io.IOException;
import java.net.Socket;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.SSLSocket;
import org.postgresql.ssl.LibPQFactory;
import org.postgresql.util.PSQLException;

/**
 * The driver's own socket factory for sslmode=verify-full/verify-ca/require (LibPQFactory: its
 * SSLContext.getInstance("TLS") from the default provider, its trust managers from sslrootcert),
 * unchanged but for keeping each TLS socket it makes, so the test sees which implementation the
 * driver really used. Named in the connection's "sslfactory" property; the driver instantiates it.
 */
public final class RecordingLibPqFactory extends LibPQFactory {
    static final BlockingQueue<SSLSocket> SOCKETS = new LinkedBlockingQueue<>();

    public RecordingLibPqFactory(Properties info) throws PSQLException {
        super(info);
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        Socket tls = super.createSocket(socket, host, port, autoClose);
        SOCKETS.add((SSLSocket) tls);
        return tls;
    }
}
