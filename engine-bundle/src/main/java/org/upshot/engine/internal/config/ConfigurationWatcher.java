package org.upshot.engine.internal.config;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Watches the confdirs (recursively) and hands the engine a {@link ChangeSet} whenever
 * a {@code .conf} or {@code .override} file is added, changed or removed.
 *
 * <p>One daemon thread, {@code upshot-config-watcher}, owns the {@link WatchService}.
 * File events are gathered until the directories have been quiet for
 * {@value #QUIET_MILLIS} ms (an editor's write-rename-chmod is one change), then the
 * loader re-reads what changed and, if anything did, the sink receives the change set
 * on this thread. The sink must only hand it over (post it to the engine's queue),
 * never block. Requests from other threads ({@link #reload()},
 * {@link #extensionsChanged()}) are queued to the same thread, so scans never overlap
 * and change sets arrive in order. Whatever a scan or the sink throws is logged and the
 * loop goes on.
 */
public final class ConfigurationWatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConfigurationWatcher.class.getName());
    static final long QUIET_MILLIS = 50;
    /** How often the loop checks for requests and for confdirs that appeared. */
    private static final long TICK_MILLIS = 200;

    private final ConfigurationLoader loader;
    private final Consumer<ChangeSet> sink;
    private final WatchService watchService;
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    private record Request(Supplier<ChangeSet> scan, CompletableFuture<ChangeSet> done) {}

    private ConfigurationWatcher(ConfigurationLoader loader, Consumer<ChangeSet> sink) throws IOException {
        this.loader = loader;
        this.sink = sink;
        this.watchService = FileSystems.getDefault().newWatchService();
        this.thread = new Thread(this::run, "upshot-config-watcher");
        thread.setDaemon(true);
    }

    /**
     * Starts watching. Call {@link ConfigurationLoader#load()} first for the initial
     * registry; changes from then on go to {@code sink}.
     *
     * @param loader the loader whose registry to keep current
     * @param sink receives each non-empty change set, on the watcher thread
     * @throws IOException if no watch service can be created
     */
    public static ConfigurationWatcher start(ConfigurationLoader loader, Consumer<ChangeSet> sink)
            throws IOException {
        ConfigurationWatcher watcher = new ConfigurationWatcher(Objects.requireNonNull(loader, "loader"),
                Objects.requireNonNull(sink, "sink"));
        watcher.registerDirectories();
        watcher.thread.start();
        return watcher;
    }

    /**
     * Forces a full rescan ({@code reload-configuration}, SIGHUP). The change set (also
     * given to the sink when not empty) completes the returned stage.
     */
    public CompletableFuture<ChangeSet> reload() {
        return request(loader::reload);
    }

    /** An extension service came or went: re-parses the jobs that use or wait for one. */
    public CompletableFuture<ChangeSet> extensionsChanged() {
        return request(loader::extensionsChanged);
    }

    /** Stops the thread and the watch service; pending requests fail. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            watchService.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the watch service", e);
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Request request = requests.poll(); request != null; request = requests.poll()) {
            request.done().completeExceptionally(new IllegalStateException("configuration watcher closed"));
        }
    }

    private CompletableFuture<ChangeSet> request(Supplier<ChangeSet> scan) {
        CompletableFuture<ChangeSet> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IllegalStateException("configuration watcher closed"));
        } else {
            requests.add(new Request(scan, done));
        }
        return done;
    }

    private void run() {
        while (!closed) {
            try {
                boolean changed = awaitFileEvents();
                if (changed) {
                    deliver(loader.refresh());
                }
                for (Request request = requests.poll(); request != null; request = requests.poll()) {
                    serve(request);
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException | Error e) {
                // even an Error: without this thread no job file would ever be seen again
                LOG.log(Level.ERROR, "configuration watcher: scan failed, will retry on the next change", e);
            }
        }
    }

    private void serve(Request request) {
        try {
            ChangeSet changes = request.scan().get();
            deliver(changes);
            request.done().complete(changes);
        } catch (RuntimeException | Error e) {
            request.done().completeExceptionally(e);
            throw e;
        }
    }

    /**
     * Waits one tick for file events; true when some arrived (after they went quiet) or
     * when a directory found by the last scan has just been registered (files may have
     * landed in it before it was watched).
     */
    private boolean awaitFileEvents() throws InterruptedException {
        WatchKey key = watchService.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
        boolean changed = registerDirectories();
        while (key != null) {
            key.pollEvents();
            key.reset();
            changed = true;
            key = watchService.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
        }
        return changed;
    }

    private void deliver(ChangeSet changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            sink.accept(changes);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "configuration change sink failed", e);
        }
    }

    /**
     * Registers every confdir and subdirectory not yet watched; true if one was new
     * (files may have appeared in it before it was watched, so a scan is due).
     */
    private boolean registerDirectories() {
        boolean added = false;
        keys.entrySet().removeIf(e -> !e.getValue().isValid());
        for (Path confdir : loader.confdirs()) {
            if (!keys.containsKey(confdir) && Files.isDirectory(confdir)) {
                added |= register(confdir);
            }
        }
        for (Path directory : loader.directories()) {
            if (!keys.containsKey(directory)) {
                added |= register(directory);
            }
        }
        return added;
    }

    private boolean register(Path directory) {
        try {
            keys.put(directory, directory.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE));
            return true;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot watch " + directory + ": " + e);
            return false;
        }
    }
}
