package org.upshot.source.socket;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.upshot.testkit.SourceScenario;

/**
 * The socket source in the contract suite ({@code org.upshot.testkit.SourceContract}): a
 * client already waiting to connect when the daemon boots, and clients connecting to an
 * Upstart-form {@code start on socket} listener.
 */
public final class SocketScenario implements SourceScenario {

    /** How long a client keeps trying: longer than any boot or plugin reload. */
    private static final Duration CLIENT_PATIENCE = Duration.ofSeconds(60);
    /** Clients stay connected until the test JVM ends, as a client waiting for its answer would. */
    private static final List<SocketChannel> CLIENTS = new CopyOnWriteArrayList<>();

    @Override
    public String plugin() {
        return "source-socket";
    }

    /** A client that keeps trying to connect from before boot, as one started early in boot would. */
    @Override
    public void makeAlreadyTrue(Path work) {
        persistentClient(work.resolve("already.sock"));
    }

    @Override
    public String alreadyTrueJob(Path work) {
        return "socket unix " + work.resolve("already.sock");
    }

    @Override
    public String triggeredJob(Path work) {
        return "start on socket PROTO=unix SOCKET_PATH=" + work.resolve("triggered.sock");
    }

    /**
     * A client connects, retrying while there is no listener, as clients do: the source
     * binds an Upstart-form listener only once it has been told the jobs, a moment after
     * it started.
     */
    @Override
    public void trigger(Path work) {
        persistentClient(work.resolve("triggered.sock"));
    }

    /** Connects in the background, retrying until it succeeds or its patience runs out. */
    private static void persistentClient(Path socket) {
        Thread client = new Thread(() -> {
            long deadline = System.nanoTime() + CLIENT_PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                if (connect(socket)) {
                    return;
                }
                try {
                    Thread.sleep(20); // retry interval of a client, not synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "socket-client " + socket.getFileName());
        client.setDaemon(true);
        client.start();
    }

    private static boolean connect(Path socket) {
        try {
            CLIENTS.add(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The poller wakes on the connection itself; a second is ample. */
    @Override
    public Duration quietWindow() {
        return Duration.ofSeconds(1);
    }
}
