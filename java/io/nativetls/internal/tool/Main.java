package io.nativetls.internal.tool;

import java.io.PrintStream;

/** {@code java -jar nativetls.jar [selfcheck]}: the command-line entry point. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        String command = args.length == 0 ? "selfcheck" : args[0];
        switch (command) {
            case "selfcheck":
                return new SelfCheck(out).run();
            case "help":
            case "--help":
            case "-h":
                usage(out);
                return 0;
            default:
                usage(out);
                return 2;
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar nativetls.jar [selfcheck]");
        out.println("  selfcheck  print the OpenSSL in use and run a NativeTLS <-> SunJSSE handshake on 127.0.0.1");
    }
}
