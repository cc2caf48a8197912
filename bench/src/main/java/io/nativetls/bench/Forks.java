package io.nativetls.bench;

/** What every benchmark fork's JVM is started with, besides the groups and the heap size. */
final class Forks {
    /**
     * The fork touches its whole heap before it starts, as a long-running server's heap is
     * resident. Without it a fork spends its run faulting in fresh heap pages (2 GiB at tens of
     * MB/s of allocation lasts longer than a fork), a cost charged to whichever provider
     * allocates most: 12 % of a NativeTLS resumption fork's time went to page faults, and
     * SunJSSE's resumed handshakes ran at 0.35-0.5 of their pre-touched rate. NativeTLS's full
     * handshakes are not measurably changed by it (bench/results/2026-12-04-pretouch-forks: eight
     * alternating forks a side, pre-touch ahead in four).
     */
    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    private Forks() {
    }
}
