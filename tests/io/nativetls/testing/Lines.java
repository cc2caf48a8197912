package io.nativetls.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.nativetls.internal.tool.EngineStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Lines of text over an EngineStream, as the openssl s_client/s_server peers exchange them. */
public final class Lines {
    private Lines() {}

    public static void write(EngineStream stream, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        stream.write(b, 0, b.length);
    }

    /** The next line, its end of line included; at most 4096 bytes. */
    public static String readLine(EngineStream stream) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] one = new byte[1];
        while (line.size() < 4096) {
            if (stream.read(one, 0, 1) < 0) {
                fail("end of stream inside a line: " + line.toString(StandardCharsets.ISO_8859_1));
            }
            line.write(one[0]);
            if (one[0] == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1);
            }
        }
        throw new AssertionError("no end of line in 4096 bytes");
    }
}
