// The native memory of closed connections no one closed inbound (results.md): run as written there.
public class LingeringProbe {
    public static void main(String[] a) throws Exception {
        Thread t = new Thread(() -> { try { io.nativetls.bench.load.LoadServer.main(a); } catch (Exception e) { e.printStackTrace(); } });
        t.setDaemon(true); t.start();
        long rss0 = 0;
        for (int i = 0; i < 200; i++) {
            Thread.sleep(500);
            long[] l = io.nativetls.internal.jni.SslNative.liveHandles();
            long rss = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream().filter(s->s.startsWith("VmRSS")).mapToLong(s -> Long.parseLong(s.replaceAll("[^0-9]", ""))).findFirst().getAsLong();
            if (i == 0) rss0 = rss;
            long live = l[io.nativetls.internal.jni.SslNative.LIVE_CONNECTIONS];
            if (live >= 10000 || i == 30) {
                System.out.println("live conns=" + live + " rss growth KB=" + (rss - rss0) + " per live conn B=" + (rss - rss0) * 1024 / live);
                System.exit(0);
            }
        }
        System.out.println("did not reach 10000");
        System.exit(1);
    }
}
