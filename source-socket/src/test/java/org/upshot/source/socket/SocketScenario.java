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

    /** How long the early client keeps trying: longer than any boot. */
    private static final Duration EARLY_CLIENT_PATIENCE = Duration.ofMinutes(2);
    /** Clients stay connected until the test JVM ends, as a client waiting for its answer would. */
    private static final List<SocketChannel> CLIENTS = new CopyOnWriteArrayList<>();

    @Override
    public String plugin() {
        return "source-socket";
    }

    /** A client that keeps trying to connect from before boot, as one started early in boot would. */
    @Override
    public void makeAlreadyTrue(Path work) {
        Path socket = work.resolve("already.sock");
        Thread client = new Thread(() -> {
            long deadline = System.nanoTime() + EARLY_CLIENT_PATIENCE.toNanos();
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
        }, "early-socket-client");
        client.setDaemon(true);
        client.start();
    }

    @Override
    public String alreadyTrueJob(Path work) {
        return "socket unix " + work.resolve("already.sock");
    }

    @Override
    public String triggeredJob(Path work) {
        return "start on socket PROTO=unix SOCKET_PATH=" + work.resolve("triggered.sock");
    }

    /** A client connects; with the source unloaded there is no listener and nothing happens. */
    @Override
    public void trigger(Path work) {
        connect(work.resolve("triggered.sock"));
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
