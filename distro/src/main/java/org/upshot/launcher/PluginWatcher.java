package org.upshot.launcher;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Watches the plugin directory and keeps the framework in line with it: a jar that
 * appears is installed and started, one that changes is updated, one that goes away is
 * stopped and uninstalled. Running jobs are not touched: only the plugin's bundle moves.
 *
 * <p>Like FileInstall's {@code DirectoryWatcher}, the loop catches failures per
 * iteration and ends only on interrupt or {@link #close()}. After the first event it
 * waits for {@link #SETTLE_MILLIS} of quiet so that a jar being written is handled
 * once; writers should still copy to a hidden name ({@code .foo.jar}) and rename, so a
 * half-written jar is never seen. An overflow rescans the whole directory.
 */
final class PluginWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.upshot.launcher");
    /** Quiet time that ends a burst of events on the directory. */
    static final long SETTLE_MILLIS = 100;

    private final Path directory;
    private final BundleDeployer deployer;
    private final WatchService watchService;
    private final Thread thread;

    private PluginWatcher(Path directory, BundleDeployer deployer) throws IOException {
        this.directory = directory;
        this.deployer = deployer;
        this.watchService = FileSystems.getDefault().newWatchService();
        directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::watch, "upshot-plugin-watcher");
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching {@code directory}.
     *
     * @throws IOException if the directory cannot be watched
     */
    static PluginWatcher start(Path directory, BundleDeployer deployer) throws IOException {
        PluginWatcher watcher = new PluginWatcher(directory, deployer);
        // Jars dropped between the first deployment and registration are caught here.
        deployer.syncDirectory(directory);
        watcher.thread.start();
        return watcher;
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            watchService.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the plugin watch service: " + e);
        }
    }

    private void watch() {
        LOG.log(Level.DEBUG, "watching {0} for plugins", directory);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                WatchKey key = watchService.take();
                Set<Path> changed = new TreeSet<>();
                boolean overflow = false;
                while (key != null) {
                    overflow |= collect(key, changed);
                    if (!key.reset()) {
                        LOG.log(Level.WARNING, "plugin directory {0} is gone; no longer watching it", directory);
                        return;
                    }
                    key = watchService.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
                }
                if (overflow) {
                    deployer.syncDirectory(directory);
                } else {
                    changed.forEach(deployer::sync);
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "plugin watcher", e);
            }
        }
    }

    /** Adds the plugin jars named by a key's events to {@code changed}; true on overflow. */
    private boolean collect(WatchKey key, Set<Path> changed) {
        boolean overflow = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                overflow = true;
            } else {
                Path file = directory.resolve((Path) event.context()).toAbsolutePath().normalize();
                if (BundleDeployer.isCandidate(file)) {
                    changed.add(file);
                }
            }
        }
        return overflow;
    }
}
