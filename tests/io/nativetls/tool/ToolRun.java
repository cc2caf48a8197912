package io.nativetls.tool;

import io.nativetls.internal.tool.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One in-process run of the tool: exit code and what it printed on stdout and stderr. */
final class ToolRun {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private volatile Integer exit;
    private volatile Throwable thrown;

    static ToolRun run(String... args) throws Exception {
        ToolRun r = new ToolRun();
        r.exit = Main.run(args, r.out, r.err, null);
        return r;
    }

    /** Starts the tool on a daemon thread (for the server), to be awaited with {@link #await}. */
    static ToolRun start(String... args) {
        ToolRun r = new ToolRun();
        Thread t = new Thread(() -> {
            try {
                r.exit = Main.run(args, r.out, r.err, null);
            } catch (Throwable e) {
                r.thrown = e;
                r.exit = -1;
            }
        }, "tool-" + args[0]);
        t.setDaemon(true);
        t.start();
        return r;
    }

    int exit() {
        return exit;
    }

    String out() {
        synchronized (outBytes) {
            return outBytes.toString(StandardCharsets.UTF_8);
        }
    }

    String err() {
        synchronized (errBytes) {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }

    String describe() {
        return "exit " + exit + "\n--- stdout ---\n" + out() + "--- stderr ---\n" + err()
            + (thrown != null ? "--- thrown ---\n" + thrown : "");
    }

    /** Waits until stdout matches pattern; its first group, or null on timeout or when the run ended. */
    String awaitOut(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(out());
            if (m.find()) {
                return m.group(1);
            }
            if (exit != null) {
                return null;
            }
            Thread.sleep(20);
        }
        return null;
    }

    /** Waits for the run to end; false on timeout. */
    boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (exit == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return exit != null;
    }

    /** The value printed after "label" at the start of a line of stdout, trimmed; null if absent. */
    String field(String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + "[ \\t]*(.*)$").matcher(out());
        return m.find() ? m.group(1).trim() : null;
    }
}
