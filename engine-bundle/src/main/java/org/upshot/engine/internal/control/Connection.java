package org.upshot.engine.internal.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.LinkedList;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jnr.unixsocket.UnixSocketChannel;
import org.upshot.control.Json;
import org.upshot.control.LineFramer;
import org.upshot.control.Protocol;

/**
 * One client of the control server. Replies and events may be queued from any
 * thread (they arrive on the engine thread); everything else belongs to the
 * server's I/O thread.
 */
final class Connection {

    final UnixSocketChannel channel;
    final Peer peer;
    final LineFramer framer = new LineFramer(Protocol.MAX_LINE_BYTES);
    SelectionKey key;

    private final Queue<ByteBuffer> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicLong outboundBytes = new AtomicLong();
    private final long maxOutboundBytes;
    /**
     * I/O thread only: request lines received and not yet started, in order; a
     * {@code null} stands for a line that was not UTF-8 (hence not an ArrayDeque).
     */
    final Deque<String> waiting = new LinkedList<>();
    /** Set by the I/O thread when a request goes to the engine, cleared when its reply is queued. */
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean overflowed;
    private volatile Runnable subscription;

    /** I/O thread only: when bytes last moved either way. */
    long lastActivityNanos;
    /** I/O thread only: the client shut its side or sent something that ends the conversation. */
    boolean inputDone;
    /** I/O thread only: when the line being received began; 0 between lines. */
    long partialSince;

    Connection(UnixSocketChannel channel, Peer peer, long maxOutboundBytes, long now) {
        this.channel = channel;
        this.peer = peer;
        this.maxOutboundBytes = maxOutboundBytes;
        this.lastActivityNanos = now;
    }

    /**
     * Queues one message; returns false (dropping it) once the connection is closed or
     * the client has let more than the bound pile up unread (an event stream it does not
     * read), which dooms the connection.
     */
    boolean queue(Map<String, Object> message) {
        if (closed || overflowed) {
            return false;
        }
        byte[] line = (Json.write(message) + "\n").getBytes(StandardCharsets.UTF_8);
        // The bound is on the backlog, so one large reply always goes out.
        if (outboundBytes.getAndAdd(line.length) > maxOutboundBytes) {
            overflowed = true;
            return false;
        }
        outbound.add(ByteBuffer.wrap(line));
        return true;
    }

    /**
     * Writes what the socket takes without blocking.
     *
     * @return true when everything queued has been written
     */
    boolean flush(long now) throws IOException {
        ByteBuffer head;
        while ((head = outbound.peek()) != null) {
            int written = channel.write(head);
            if (written > 0) {
                lastActivityNanos = now;
                outboundBytes.addAndGet(-written);
            }
            if (head.hasRemaining()) {
                return false;
            }
            outbound.poll();
        }
        return true;
    }

    /** Bytes queued and not yet written. */
    long backlogBytes() {
        return outboundBytes.get();
    }

    boolean hasOutbound() {
        return !outbound.isEmpty();
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Whether a request is with the engine; the next waits until it is answered. */
    boolean inFlight() {
        return inFlight.get();
    }

    /** Whether any request is waiting or with the engine. */
    boolean busy() {
        return inFlight.get() || !waiting.isEmpty();
    }

    void requestStarted() {
        inFlight.set(true);
    }

    void requestFinished() {
        inFlight.set(false);
    }

    boolean isStreaming() {
        return subscription != null;
    }

    void streamWith(Runnable unsubscribe) {
        subscription = unsubscribe;
        if (closed) {
            unsubscribe.run();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes the socket and ends any event subscription; idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        Runnable unsubscribe = subscription;
        if (unsubscribe != null) {
            unsubscribe.run();
        }
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing to do: the peer is gone either way.
        }
        outbound.clear();
    }
}
