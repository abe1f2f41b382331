package org.upshot.engine.internal.control;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jnr.enxio.channels.NativeSelectorProvider;
import jnr.unixsocket.Credentials;
import jnr.unixsocket.UnixServerSocketChannel;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;
import jnr.unixsocket.UnixSocketOptions;
import org.upshot.daemon.DaemonSettings.ControlLimits;
import org.upshot.daemon.DescriptorStore;
import org.upshot.control.Command;
import org.upshot.control.ErrorCode;
import org.upshot.control.Json;
import org.upshot.control.JsonException;
import org.upshot.control.LineFramer;
import org.upshot.control.Protocol;
import org.upshot.engine.internal.api.ControlException;
import org.upshot.engine.internal.api.JobControl;

/**
 * The control socket's server: one I/O thread multiplexing every connection with a
 * selector, separate from the engine thread. See the package essay.
 */
public final class ControlServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());

    private final Path socketPath;
    private final AccessPolicy policy;
    private final JobControl control;
    private final RequestDispatcher dispatcher;
    private final ControlLimits limits;
    private final UnixServerSocketChannel serverChannel;
    private final Selector selector;
    private final Set<Connection> connections = new HashSet<>();
    private final Queue<Connection> wakeups = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private final Thread ioThread;
    private volatile boolean running = true;
    /** The control socket's name among the descriptors a re-exec keeps. */
    private static final String DESCRIPTOR_NAME = "control";

    /**
     * Binds the socket (replacing a stale one), sets its mode and starts serving.
     *
     * @param socketPath the socket file; its directory must exist
     * @param systemMode whether this is a system daemon (world-connectable socket, root
     *     may change things, others only read) or a session one (owner only)
     * @throws IOException if the socket cannot be bound, or a live daemon already answers on it
     */
    public ControlServer(Path socketPath, boolean systemMode, JobControl control, String version,
            Path logDir, boolean debug, ControlLimits limits, DescriptorStore descriptors) throws IOException {
        this.socketPath = socketPath;
        this.control = control;
        this.limits = limits;
        this.dispatcher = new RequestDispatcher(control, version, logDir, new LogPriority(debug));
        OptionalInt inherited = descriptors.take(DESCRIPTOR_NAME);
        if (inherited.isPresent()) {
            serverChannel = inheritedChannel(inherited.getAsInt());
        } else {
            removeStaleSocket(socketPath);
            serverChannel = UnixServerSocketChannel.open();
        }
        try {
            if (inherited.isEmpty()) {
                serverChannel.socket().bind(new UnixSocketAddress(socketPath.toFile()));
                Files.setPosixFilePermissions(socketPath,
                        PosixFilePermissions.fromString(systemMode ? "rw-rw-rw-" : "rw-------"));
            }
            descriptors.keep(DESCRIPTOR_NAME, serverChannel.getFD());
            int owner = (Integer) Files.getAttribute(socketPath, "unix:uid");
            policy = systemMode ? AccessPolicy.system() : AccessPolicy.session(owner);
            serverChannel.configureBlocking(false);
            selector = NativeSelectorProvider.getInstance().openSelector();
            serverChannel.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            serverChannel.close();
            throw e;
        }
        ioThread = new Thread(this::serve, "upshot-control");
        ioThread.setDaemon(true);
        ioThread.start();
        LOG.log(Level.DEBUG, "control server listening on {0} ({1} mode)", socketPath,
                systemMode ? "system" : "session");
    }

    /**
     * The listening socket a re-exec handed over: clients that connected during the exec
     * wait in its backlog. jnr makes a channel from a descriptor only in its own package.
     */
    private static UnixServerSocketChannel inheritedChannel(int fd) throws IOException {
        try {
            Constructor<UnixServerSocketChannel> fromDescriptor = UnixServerSocketChannel.class
                    .getDeclaredConstructor(SelectorProvider.class, int.class);
            fromDescriptor.setAccessible(true);
            return fromDescriptor.newInstance(NativeSelectorProvider.getInstance(), fd);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot take over the control socket (descriptor " + fd + "): " + e, e);
        }
    }

    /** The socket this server listens on. */
    public Path socketPath() {
        return socketPath;
    }

    /** Stops serving, closes every connection and removes the socket file. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            ioThread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove control socket {0}: {1}", socketPath, e.getMessage());
        }
    }

    /** A socket file left by a daemon that died is replaced; a live daemon's is not. */
    private static void removeStaleSocket(Path socketPath) throws IOException {
        if (!Files.exists(socketPath, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (answers(socketPath)) {
            throw new IOException("another daemon is listening on " + socketPath);
        }
        Files.delete(socketPath);
    }

    private static boolean answers(Path socketPath) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socketPath))) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private void serve() {
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(10, limits.idleTimeoutMillis() / 4));
        long nextSweep = System.nanoTime() + tickNanos;
        while (running) {
            try {
                selector.select(TimeUnit.NANOSECONDS.toMillis(tickNanos));
                long now = System.nanoTime();
                Iterator<SelectionKey> selected = selector.selectedKeys().iterator();
                while (selected.hasNext()) {
                    SelectionKey key = selected.next();
                    selected.remove();
                    handle(key, now);
                }
                Connection woken;
                while ((woken = wakeups.poll()) != null) {
                    if (!woken.isClosed()) {
                        advance(woken);
                        pump(woken, now);
                    }
                }
                if (now - nextSweep >= 0) {
                    sweepIdle(now);
                    nextSweep = now + tickNanos;
                }
            } catch (IOException | RuntimeException e) {
                // One bad connection or selector hiccup must not end the service.
                LOG.log(Level.WARNING, "control server: " + e, e);
            }
        }
        for (Connection connection : new ArrayList<>(connections)) {
            connection.close();
        }
        connections.clear();
        try {
            selector.close();
            serverChannel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing control socket: {0}", e.getMessage());
        }
    }

    private void handle(SelectionKey key, long now) {
        if (!key.isValid()) {
            return;
        }
        if (key.attachment() == null) {
            accept(now);
            return;
        }
        Connection connection = (Connection) key.attachment();
        try {
            if (key.isReadable()) {
                read(connection, now);
            }
            if (!connection.isClosed() && key.isValid() && key.isWritable()) {
                pump(connection, now);
                // written out: requests held back by the backlog may go on
                if (!connection.isClosed()) {
                    advance(connection);
                    pump(connection, now);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "control client pid {0} dropped: {1}", connection.peer.pid(), e.getMessage());
            drop(connection);
        }
    }

    private void accept(long now) {
        UnixSocketChannel channel;
        while (true) {
            try {
                channel = serverChannel.accept();
            } catch (IOException e) {
                // EMFILE and friends: keep serving those already connected.
                LOG.log(Level.WARNING, "control server cannot accept: {0}", e.getMessage());
                return;
            }
            if (channel == null) {
                return;
            }
            try {
                Credentials credentials = channel.getOption(UnixSocketOptions.SO_PEERCRED);
                Peer peer = new Peer(credentials.getPid(), credentials.getUid(), credentials.getGid());
                channel.configureBlocking(false);
                Connection connection = new Connection(channel, peer, limits.maxOutboundBytes(), now);
                Optional<String> refusal = refusal(peer);
                if (refusal.isPresent()) {
                    connection.queue(Protocol.errorReply(null, ErrorCode.BUSY, refusal.get()));
                    connection.flush(now);
                    connection.close();
                    continue;
                }
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                connections.add(connection);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, "control client refused at accept: {0}", e.toString());
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Already gone.
                }
            }
        }
    }

    /**
     * Why a new connection from {@code peer} is refused, if it is: the daemon's own user
     * (root, or the session's owner) may always use the last {@link #reserved()} places,
     * and no other user holds more than a quarter of them, so nobody can lock it out.
     */
    private Optional<String> refusal(Peer peer) {
        if (connections.size() >= limits.maxConnections()) {
            return Optional.of("Too many connections");
        }
        if (policy.privileged(peer)) {
            return Optional.empty();
        }
        if (connections.size() >= limits.maxConnections() - reserved()) {
            return Optional.of("Too many connections (the last " + reserved() + " are kept for uid "
                    + policy.ownerUid() + ")");
        }
        if (connectionsOf(peer.uid(), false) >= perUser()) {
            return Optional.of("Too many connections from uid " + peer.uid() + " (at most " + perUser() + ")");
        }
        return Optional.empty();
    }

    private int reserved() {
        return Math.max(1, limits.maxConnections() / 64);
    }

    private int perUser() {
        return Math.max(1, limits.maxConnections() / 4);
    }

    /** Connections of {@code uid}: all, or only those following events. */
    private long connectionsOf(int uid, boolean following) {
        return connections.stream().filter(c -> c.peer.uid() == uid && (!following || c.isStreaming())).count();
    }

    private void read(Connection connection, long now) throws IOException {
        readBuffer.clear();
        int count = connection.channel.read(readBuffer);
        if (count < 0) {
            endInput(connection);
            pump(connection, now);
            return;
        }
        if (count == 0) {
            return;
        }
        connection.lastActivityNanos = now;
        readBuffer.flip();
        List<String> lines;
        try {
            lines = connection.framer.feed(readBuffer);
        } catch (LineFramer.LineTooLongException e) {
            connection.queue(Protocol.errorReply(null, ErrorCode.REQUEST_TOO_LARGE,
                    "Request too large: the limit is " + Protocol.MAX_LINE_BYTES + " bytes"));
            endInput(connection);
            pump(connection, now);
            return;
        }
        connection.partialSince = !connection.framer.hasPartialLine() ? 0
                : connection.partialSince == 0 ? now : connection.partialSince;
        connection.waiting.addAll(lines);
        advance(connection);
        pump(connection, now);
    }

    /**
     * Starts the connection's waiting requests in order until one has to wait for the
     * engine, or until half the outbound bound waits unread (replies are never dropped:
     * the client that does not read them is simply not served further); and reads from
     * the client only while few enough lines wait: a client that floods the socket is
     * slowed by its own full socket buffer, not by the server's memory.
     */
    private void advance(Connection connection) {
        while (!connection.inFlight() && !connection.waiting.isEmpty() && !connection.isClosed()
                && connection.backlogBytes() < limits.maxOutboundBytes() / 2) {
            request(connection, connection.waiting.poll());
        }
        if (connection.inputDone || !connection.key.isValid()) {
            return;
        }
        int ops = connection.key.interestOps();
        boolean full = connection.waiting.size() >= limits.maxPendingPerConnection();
        connection.key.interestOps(full ? ops & ~SelectionKey.OP_READ : ops | SelectionKey.OP_READ);
    }

    /** Stops reading; the connection closes once every pending reply is written. */
    private void endInput(Connection connection) {
        connection.inputDone = true;
        if (connection.key.isValid()) {
            connection.key.interestOps(connection.key.interestOps() & ~SelectionKey.OP_READ);
        }
        if (connection.isStreaming()) {
            drop(connection);
        }
    }

    private void request(Connection connection, String line) {
        if (line == null) {
            connection.queue(Protocol.errorReply(null, ErrorCode.BAD_REQUEST, "Malformed request: not UTF-8"));
            return;
        }
        Map<String, Object> request;
        try {
            request = Json.parseObject(line);
        } catch (JsonException e) {
            connection.queue(Protocol.errorReply(null, ErrorCode.BAD_REQUEST, "Malformed request: " + e.getMessage()));
            return;
        }
        Object id = request.get(Protocol.F_ID);
        if (id != null && !(id instanceof Long) && !(id instanceof String)) {
            connection.queue(Protocol.errorReply(null, ErrorCode.BAD_REQUEST,
                    "Malformed request: \"id\" must be a number or a string"));
            return;
        }
        if (!Long.valueOf(Protocol.VERSION).equals(request.get(Protocol.F_VERSION))) {
            connection.queue(Protocol.errorReply(id, ErrorCode.UNSUPPORTED_VERSION,
                    "Unsupported protocol version: " + request.get(Protocol.F_VERSION)
                    + " (this daemon speaks " + Protocol.VERSION + ")"));
            return;
        }
        Object name = request.get(Protocol.F_CMD);
        Command command = name instanceof String ? Command.fromWireName((String) name) : null;
        if (command == null) {
            connection.queue(Protocol.errorReply(id, ErrorCode.UNKNOWN_COMMAND, "Unknown command: " + name));
            return;
        }
        if (!policy.permits(connection.peer, command)) {
            connection.queue(Protocol.errorReply(id, ErrorCode.PERMISSION_DENIED, "Permission denied"));
            return;
        }
        if (command == Command.EVENTS) {
            follow(connection, id);
            return;
        }
        connection.requestStarted();
        CompletionStage<Map<String, Object>> reply;
        try {
            reply = dispatcher.dispatch(command, request);
        } catch (RuntimeException e) {
            finish(connection, id, null, e);
            return;
        }
        reply.whenComplete((fields, failure) -> finish(connection, id, fields, failure));
    }

    /** Runs on whichever thread completed the request, usually the engine's. */
    private void finish(Connection connection, Object id, Map<String, Object> fields, Throwable failure) {
        Map<String, Object> reply;
        if (failure == null) {
            reply = Protocol.okReply(id);
            reply.putAll(fields);
        } else {
            reply = errorReply(id, failure);
        }
        connection.queue(reply);
        connection.requestFinished();
        wake(connection);
    }

    private static Map<String, Object> errorReply(Object id, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof ControlException) {
            ControlException refusal = (ControlException) cause;
            return Protocol.errorReply(id, ErrorCode.valueOf(refusal.reason().name()), refusal.getMessage());
        }
        if (cause instanceof RequestFailure) {
            return Protocol.errorReply(id, ((RequestFailure) cause).code(), cause.getMessage());
        }
        if (cause instanceof JsonException) {
            return Protocol.errorReply(id, ErrorCode.BAD_REQUEST, "Malformed request: " + cause.getMessage());
        }
        LOG.log(Level.WARNING, "control request failed inside the daemon", cause);
        return Protocol.errorReply(id, ErrorCode.INTERNAL, "Internal error: " + cause);
    }

    /**
     * {@code events}: acknowledge, then forward every event until the client goes. A user
     * other than the daemon's own follows on at most an eighth of the connections.
     */
    private void follow(Connection connection, Object id) {
        int perUser = Math.max(1, limits.maxConnections() / 8);
        if (!policy.privileged(connection.peer) && connectionsOf(connection.peer.uid(), true) >= perUser) {
            connection.queue(Protocol.errorReply(id, ErrorCode.BUSY, "Too many event followers from uid "
                    + connection.peer.uid() + " (at most " + perUser + ")"));
            return;
        }
        connection.queue(Protocol.okReply(id));
        AtomicBoolean subscribed = new AtomicBoolean(true);
        Runnable handle = control.subscribe(event -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put(Protocol.F_VERSION, (long) Protocol.VERSION);
            line.put(Protocol.F_EVENT, Views.event(event));
            connection.queue(line);
            wake(connection);
        });
        connection.streamWith(() -> {
            if (subscribed.compareAndSet(true, false)) {
                handle.run();
            }
        });
    }

    private void wake(Connection connection) {
        wakeups.add(connection);
        // Answers completed on the I/O thread itself are picked up by its own loop.
        if (Thread.currentThread() != ioThread) {
            selector.wakeup();
        }
    }

    /** Writes what can be written, then closes the connection if its conversation is over. */
    private void pump(Connection connection, long now) {
        if (connection.isClosed()) {
            return;
        }
        if (connection.overflowed()) {
            LOG.log(Level.DEBUG, "control client pid {0} too slow, dropped", connection.peer.pid());
            drop(connection);
            return;
        }
        try {
            boolean flushed = connection.flush(now);
            int ops = connection.key.interestOps();
            connection.key.interestOps(flushed ? ops & ~SelectionKey.OP_WRITE : ops | SelectionKey.OP_WRITE);
            if (flushed && connection.inputDone && !connection.busy() && !connection.hasOutbound()) {
                drop(connection);
            }
        } catch (IOException | CancelledKeyException e) {
            drop(connection);
        }
    }

    private void drop(Connection connection) {
        connection.close();
        connections.remove(connection);
    }

    /**
     * Drops connections idle for the idle timeout, and those that took longer than it to
     * send one whole request line (a byte now and then keeps a connection busy, not alive).
     */
    private void sweepIdle(long now) {
        long idle = TimeUnit.MILLISECONDS.toNanos(limits.idleTimeoutMillis());
        for (Connection connection : new ArrayList<>(connections)) {
            if (connection.partialSince != 0 && now - connection.partialSince > idle) {
                LOG.log(Level.DEBUG, "control client pid {0} sent no whole request in time, dropped",
                        connection.peer.pid());
                connection.queue(Protocol.errorReply(null, ErrorCode.BAD_REQUEST, "Request not completed within "
                        + limits.idleTimeoutMillis() + " ms"));
                connection.partialSince = 0;
                endInput(connection);
                pump(connection, now);
                continue;
            }
            if (!connection.isStreaming() && !connection.busy()
                    && now - connection.lastActivityNanos > idle) {
                LOG.log(Level.DEBUG, "control client pid {0} idle, dropped", connection.peer.pid());
                drop(connection);
            }
        }
    }
}
