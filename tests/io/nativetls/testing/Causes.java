package io.nativetls.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Cause chains of test failures: what they hold and how to print them in assertion messages. */
public final class Causes {
    private Causes() {}

    /** Every throwable in t's cause chain (t first), each once, even if the chain loops. */
    public static List<Throwable> chain(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            out.add(c);
        }
        return out;
    }

    /** The first throwable in t's chain of that type, or null. */
    public static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c : chain(t)) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** Whether this very throwable (not an equal one) is in t's chain. */
    public static boolean chainContainsInstance(Throwable t, Throwable target) {
        for (Throwable c : chain(t)) {
            if (c == target) {
                return true;
            }
        }
        return false;
    }

    /** The whole chain as one line: each throwable's toString, joined by "<- caused by". */
    public static String describe(Throwable t) {
        if (t == null) {
            return "no exception";
        }
        StringBuilder sb = new StringBuilder();
        for (Throwable c : chain(t)) {
            sb.append(sb.length() == 0 ? "" : " <- caused by ").append(c);
        }
        return sb.toString();
    }

    /** Every class and message in t's chain, for assertions on what a user would read. */
    public static String messages(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c : chain(t)) {
            out.append(c.getClass().getName()).append(": ").append(c.getMessage()).append(" | ");
        }
        return out.toString();
    }
}
