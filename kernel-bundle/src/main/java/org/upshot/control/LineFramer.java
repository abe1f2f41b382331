package org.upshot.control;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a byte stream into newline-terminated UTF-8 lines of bounded length.
 *
 * <p>Not thread-safe: one framer per connection, fed by the thread that reads it.
 */
public final class LineFramer {

    /** A line longer than the framer's bound; the stream cannot be resynchronised. */
    public static final class LineTooLongException extends Exception {
        private static final long serialVersionUID = 1L;

        LineTooLongException(int limit) {
            super(new StringBuilder("request longer than ").append(limit).append(" bytes").toString());
        }
    }

    private final int maxLineBytes;
    private byte[] pending = new byte[256];
    private int length;

    /** @param maxLineBytes the longest line accepted, newline excluded */
    public LineFramer(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Takes every byte remaining in {@code input} and returns the lines it completed,
     * without their newline (a trailing {@code \r} is kept: the protocol sends none).
     * A line that is not valid UTF-8 comes back as {@code null} so the caller can
     * answer it with an error and go on with the next.
     *
     * @throws LineTooLongException once {@link #maxLineBytes} bytes pass without a newline
     */
    public List<String> feed(ByteBuffer input) throws LineTooLongException {
        List<String> lines = new ArrayList<>(1);
        while (input.hasRemaining()) {
            byte b = input.get();
            if (b == '\n') {
                lines.add(decode(pending, length));
                length = 0;
                continue;
            }
            if (length == maxLineBytes) {
                throw new LineTooLongException(maxLineBytes);
            }
            if (length == pending.length) {
                pending = Arrays.copyOf(pending, Math.min(maxLineBytes, pending.length * 2));
            }
            pending[length++] = b;
        }
        return lines;
    }

    /** Whether part of a line has been received and not yet completed. */
    public boolean hasPartialLine() {
        return length > 0;
    }

    private static String decode(byte[] bytes, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
