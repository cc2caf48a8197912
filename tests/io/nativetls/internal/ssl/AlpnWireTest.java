package io.nativetls.internal.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ALPN wire format: ids as length-prefixed ISO-8859-1 bytes, both ways. */
class AlpnWireTest {
    @Test
    void everyByteValueSurvivesTheRoundTrip() {
        String odd = "\u00ff\u0001x";
        byte[] wire = AlpnWire.encode(new String[] {"h2", odd});
        assertArrayEquals(new byte[] {2, 'h', '2', 3, (byte) 0xff, 1, 'x'}, wire);
        assertEquals(List.of("h2", odd), AlpnWire.decode(wire));
        assertEquals("h2", AlpnWire.id(new byte[] {'h', '2'}));
        assertNull(AlpnWire.id(null));
    }

    @Test
    void emptyAndOverlongIdsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> AlpnWire.encode(new String[] {""}));
        assertThrows(IllegalArgumentException.class, () -> AlpnWire.encode(new String[] {"x".repeat(256)}));
        assertEquals(255, AlpnWire.encode(new String[] {"x".repeat(255)})[0] & 0xff);
    }

    @Test
    void aMalformedTailIsDropped() {
        assertEquals(List.of("h2"), AlpnWire.decode(new byte[] {2, 'h', '2', 5, 'a'}));
        assertEquals(List.of(), AlpnWire.decode(new byte[] {0, 1, 'a'}));
    }
}
