package org.upshot.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void linesSplitAcrossReadsAreJoined() throws Exception {
        LineFramer framer = new LineFramer(100);
        assertEquals(List.of(), framer.feed(bytes("{\"a\":")));
        assertTrue(framer.hasPartialLine());
        assertEquals(List.of("{\"a\":1}", "{}", "é"), framer.feed(bytes("1}\n{}\né\n")));
        assertFalse(framer.hasPartialLine());
    }

    @Test
    void invalidUtf8LineComesBackAsNullAndTheNextLineIsFine() throws Exception {
        LineFramer framer = new LineFramer(100);
        List<String> lines = framer.feed(ByteBuffer.wrap(new byte[] {(byte) 0xc3, 0x28, '\n', 'o', 'k', '\n'}));
        assertNull(lines.get(0));
        assertEquals("ok", lines.get(1));
    }

    @Test
    void lineAtTheBoundPassesOneByteMoreFails() throws Exception {
        byte[] exact = new byte[Protocol.MAX_LINE_BYTES + 1];
        Arrays.fill(exact, (byte) 'x');
        exact[exact.length - 1] = '\n';
        LineFramer framer = new LineFramer(Protocol.MAX_LINE_BYTES);
        assertEquals(Protocol.MAX_LINE_BYTES, framer.feed(ByteBuffer.wrap(exact)).get(0).length());
        byte[] over = new byte[Protocol.MAX_LINE_BYTES + 1];
        Arrays.fill(over, (byte) 'x');
        assertThrows(LineFramer.LineTooLongException.class, () -> framer.feed(ByteBuffer.wrap(over)));
    }
}
