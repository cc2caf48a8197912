package io.nativetls.internal.ssl;

import java.lang.ref.Cleaner;

/** The one Cleaner thread that frees native handles whose owners were abandoned unclosed. */
final class NativeCleaner {
    static final Cleaner CLEANER = Cleaner.create(runnable -> {
        Thread t = new Thread(runnable, "nativetls-cleaner");
        t.setDaemon(true);
        return t;
    });

    private NativeCleaner() {}
}
