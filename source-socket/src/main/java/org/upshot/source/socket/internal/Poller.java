package org.upshot.source.socket.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The one thread that waits on every watched listener ({@code poll(2)}, level-triggered)
 * and hands the readable ones to the {@link ListenerTable}. A pipe wakes it whenever the
 * set to watch changes.
 */
final class Poller implements Runnable {

    private static final Logger LOG = System.getLogger("org.upshot.source.socket");

    private final ListenerTable table;
    private final int[] wakePipe;
    private final Thread thread;
    private volatile boolean running = true;

    Poller(ListenerTable table) throws NativeSockets.SocketError {
        this.table = table;
        this.wakePipe = NativeSockets.wakePipe();
        this.thread = new Thread(this, "upshot-socket-poller");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void wake() {
        NativeSockets.wake(wakePipe[1]);
    }

    /** Stops the thread and waits for it, so nothing is emitted once this returns. */
    void close() {
        running = false;
        wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        NativeSockets.close(wakePipe[0]);
        NativeSockets.close(wakePipe[1]);
    }

    @Override
    public void run() {
        try {
            while (running) {
                ListenerTable.Watch watch = table.watchList();
                List<Integer> fds = new ArrayList<>(watch.listeners().size());
                for (Listener listener : watch.listeners()) {
                    fds.add(listener.fd());
                }
                boolean[] readable = NativeSockets.poll(wakePipe[0], fds, watch.timeoutMillis());
                for (int i = 0; i < readable.length && running; i++) {
                    if (readable[i]) {
                        table.readable(watch.listeners().get(i)).forEach(Runnable::run);
                    }
                }
            }
        } catch (NativeSockets.SocketError | RuntimeException e) {
            LOG.log(Level.ERROR, "the socket poller stopped; no socket is watched until the source restarts", e);
        }
    }
}
