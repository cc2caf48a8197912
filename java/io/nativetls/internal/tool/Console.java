package io.nativetls.internal.tool;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * Where a command writes its results (out), its progress and failures (err), and the input whose
 * end stops the server (in; null when there is none, e.g. in tests, where stdin is the test runner's).
 */
final class Console {
    final PrintStream out;
    final PrintStream err;
    final InputStream in;

    Console(PrintStream out, PrintStream err, InputStream in) {
        this.out = out;
        this.err = err;
        this.in = in;
    }
}
