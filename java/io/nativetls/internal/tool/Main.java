package io.nativetls.internal.tool;

import io.nativetls.NativeTls;
import java.io.InputStream;
import java.io.PrintStream;

/** {@code java -jar nativetls.jar <command>}: the command-line entry point. */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private Main() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err, System.in));
    }

    /** Runs a command in this JVM with no input stream (the server then stops only by --requests). */
    public static int run(String[] args, PrintStream out) throws Exception {
        return run(args, out, System.err, null);
    }

    /** Runs a command; in is the input whose end stops the server, or null for none. Returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, InputStream in) throws Exception {
        String command = args.length == 0 ? "selfcheck" : args[0];
        Console console = new Console(out, err, in);
        try {
            switch (command) {
                case "selfcheck":
                    Options.parse(args, 1, java.util.Set.of());
                    return new SelfCheck(out).run();
                case "info":
                    return new InfoCommand(console).run(Options.parse(args, 1, InfoCommand.OPTIONS));
                case "client":
                    return needNative(console)
                        ? new ClientCommand(console).run(Options.parse(args, 1, ClientCommand.OPTIONS, ClientCommand.FLAGS)) : EXIT_FAILED;
                case "server":
                    return needNative(console)
                        ? new ServerCommand(console).run(Options.parse(args, 1, ServerCommand.OPTIONS)) : EXIT_FAILED;
                case "bench":
                    return needNative(console)
                        ? new BenchCommand(console).run(Options.parse(args, 1, BenchCommand.OPTIONS)) : EXIT_FAILED;
                case "help":
                case "--help":
                case "-h":
                    usage(out);
                    return EXIT_OK;
                default:
                    throw new UsageException("unknown command: " + command);
            }
        } catch (UsageException e) {
            err.println("nativetls: " + e.getMessage());
            usage(err);
            return EXIT_USAGE;
        } catch (ToolFailure e) {
            err.println("nativetls " + command + ": " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    private static boolean needNative(Console console) {
        if (NativeTls.isAvailable()) {
            return true;
        }
        console.err.println("NativeTLS is not available: " + NativeTls.unavailabilityCause().getMessage());
        return false;
    }

    static void usage(PrintStream out) {
        out.println("usage: java -jar nativetls.jar <command> [options]");
        out.println();
        out.println("commands:");
        out.println("  selfcheck   (the default) print the OpenSSL in use and run NativeTLS <-> SunJSSE handshakes"
            + " on 127.0.0.1");
        out.println("  info        versions, where libssl and the native library come from, CPU crypto features,");
        out.println("              supported protocols, cipher suites and named groups");
        out.println("  client host:port [--alpn h2,http/1.1] [--servername name] [--cafile ca.pem]");
        out.println("              [--protocols TLSv1.3,TLSv1.2] [--reconnect] [--timeout seconds]");
        out.println("              connect with NativeTLS (hostname verified, as HTTPS does) and show the connection");
        out.println("              and the server's certificate chain; exit code 1 with the reason on failure");
        out.println("  server [--port N] [--bind address] [--cert chain.pem --key key.pem] [--alpn http/1.1]");
        out.println("              [--requests N]");
        out.println("              a small HTTPS (HTTP/1.1) server answering every request with a page describing");
        out.println("              the connection; without --cert/--key it makes a self-signed certificate and");
        out.println("              saves it for curl --cacert; stops on Ctrl-C, end of input, or after N requests");
        out.println("  bench [--seconds S]");
        out.println("              TLS 1.3 full and resumed handshakes/s, AES-128-GCM and ChaCha20-Poly1305 16 KiB");
        out.println("              MB/s, NativeTLS next to SunJSSE, both warmed up, over in-memory engine pairs");
        out.println("              (about S seconds in all, default 40)");
        out.println("  help        this text");
        out.println();
        out.println("exit codes: 0 success, 1 failure (reason on stderr), 2 bad usage");
    }
}
