package org.upshot.source.files.internal;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.upshot.event.Event;

/**
 * Watches the directories the patterns live in and turns what happens there into
 * {@code file} events. See the package description for the design.
 */
public final class PathWatcher implements AutoCloseable {

    /** Adds a directory to the watch service. Replaced in tests to force a fault. */
    @FunctionalInterface
    public interface Registrar {
        WatchKey register(Path directory, WatchService service) throws IOException;
    }

    /** Registration straight through {@link Path#register}. */
    public static final Registrar DIRECT =
            (directory, service) -> directory.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);

    /**
     * @param window the coalescing window
     * @param limit the most paths one (pattern, kind) holds per window
     * @param retry how often a directory that could not be watched is tried again
     * @param home the directory {@code ~/} stands for
     */
    public record Settings(Duration window, int limit, Duration retry, Path home) {}

    static final Logger LOG = System.getLogger("org.upshot.source.files");
    private static final int MAX_RESTRUCTURE_ROUNDS = 64;
    private static final Path MAX_USER_WATCHES = Path.of("/proc/sys/fs/inotify/max_user_watches");

    /** A directory whose entries some patterns match, and what we last knew of them. */
    private static final class Target {
        final Path directory;
        List<PatternDemand> patterns = List.of();
        /** Matching entries believed present, by name: the changes reported so far. */
        Map<String, FileStamp> snapshot = new HashMap<>();
        /** False until the first listing, whose entries count as found, not created. */
        boolean primed;
        boolean watched;

        Target(Path directory) {
            this.directory = directory;
        }
    }

    private record FileStamp(long modified, long size) {
        static final FileStamp UNKNOWN = new FileStamp(-1, -1);
    }

    private final Settings settings;
    private final Registrar registrar;
    private final WatchService service;
    private final ScheduledExecutorService worker;
    private final Thread poller;
    private final Coalescer coalescer;
    private final Object emitLock = new Object();
    private final Consumer<Event> sink;
    private boolean closed;
    private final AtomicLong rescans = new AtomicLong();

    // Everything below is owned by the worker thread.
    private final Map<Path, Target> targets = new LinkedHashMap<>();
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private final Map<WatchKey, Path> directories = new HashMap<>();
    /** Directories watched for the arrival or departure of targets: guard → targets. */
    private Map<Path, Set<Path>> guards = Map.of();
    /** Directories that could not be watched, with the error already logged. */
    private final Map<Path, String> failures = new HashMap<>();
    /** Per pattern, the jobs that already had their startup announcement. */
    private final Map<String, Set<String>> announced = new HashMap<>();
    private ScheduledFuture<?> flushTask;
    private long flushAt;
    private ScheduledFuture<?> retryTask;

    private PathWatcher(Settings settings, Consumer<Event> sink, Registrar registrar, WatchService service) {
        this.settings = settings;
        this.sink = sink;
        this.registrar = registrar;
        this.service = service;
        this.coalescer = new Coalescer(settings.window().toNanos(), settings.limit());
        this.worker = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "upshot-files"));
        this.poller = daemon(this::pollLoop, "upshot-files-inotify");
    }

    /**
     * Opens a watch service and starts the threads.
     *
     * @param sink receives every event, on the watcher's thread, never after {@link #close}
     * @throws IOException if no watch service can be opened (inotify instance limit)
     */
    public static PathWatcher start(Settings settings, Consumer<Event> sink, Registrar registrar)
            throws IOException {
        WatchService service;
        try {
            service = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw new IOException("cannot open an inotify watch service: " + e.getMessage()
                    + " (see fs.inotify.max_user_instances)", e);
        }
        PathWatcher watcher = new PathWatcher(settings, sink, registrar, service);
        watcher.poller.start();
        return watcher;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Replaces the watch set; returns at once, the work happens on the watcher's thread. */
    public void update(Map<String, PatternDemand> demands) {
        submit(() -> apply(demands));
    }

    /** How many overflow rescans have run, for tests and diagnostics. */
    public long rescans() {
        return rescans.get();
    }

    /** Stops both threads and closes the watch service; no event is emitted once this returns. */
    @Override
    public void close() {
        synchronized (emitLock) {
            closed = true;
        }
        worker.shutdownNow();
        try {
            service.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the watch service failed", e);
        }
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
            poller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(Runnable task) {
        try {
            worker.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            // Closed: nothing more to do.
        }
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "watcher task failed; the source keeps running", e);
        }
    }

    // The JDK's watch service reads inotify on its own thread; this one only hands each
    // signalled key to the worker, which owns all state.
    private void pollLoop() {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            }
            try {
                worker.execute(() -> guarded(() -> process(key)));
            } catch (RejectedExecutionException e) {
                return;
            }
        }
    }

    private void apply(Map<String, PatternDemand> demands) {
        announced.keySet().retainAll(demands.keySet());
        announced.forEach((pattern, jobs) -> jobs.retainAll(demands.get(pattern).announcedTo()));
        Map<Path, List<PatternDemand>> byDirectory = new LinkedHashMap<>();
        for (PatternDemand demand : demands.values()) {
            byDirectory.computeIfAbsent(demand.pattern().directory(), d -> new ArrayList<>()).add(demand);
        }
        targets.keySet().retainAll(byDirectory.keySet());
        byDirectory.forEach((directory, patterns) ->
                targets.computeIfAbsent(directory, Target::new).patterns = List.copyOf(patterns));
        restructure();
        targets.values().forEach(this::sync);
        scheduleFlush();
    }

    /**
     * Brings the registrations in line with the targets: each existing target directory
     * is watched, and so is the directory above it (to see it deleted, renamed or made),
     * or for a missing target its nearest existing ancestor. A directory made between
     * our look and our registration would go unseen, so after any new registration the
     * file system is looked at again, until a round registers nothing new.
     *
     * @return the targets that became watched or stopped being watched
     */
    private Set<Target> restructure() {
        Set<Path> refused = new HashSet<>();
        for (int round = 0; round < MAX_RESTRUCTURE_ROUNDS && registerWanted(refused); round++) {
            // Each round that registered something looks again.
        }
        Set<Target> changed = new LinkedHashSet<>();
        for (Target target : targets.values()) {
            boolean watched = keys.containsKey(target.directory);
            if (watched != target.watched) {
                target.watched = watched;
                changed.add(target);
            }
        }
        scheduleRetry();
        return changed;
    }

    /**
     * One round of {@link #restructure}; whether it registered a directory.
     *
     * @param refused directories that could not be registered in this restructure, not
     *     tried again until the next
     */
    private boolean registerWanted(Set<Path> refused) {
        Map<Path, Set<Path>> newGuards = new HashMap<>();
        Set<Path> wanted = new LinkedHashSet<>();
        for (Target target : targets.values()) {
            boolean exists = Files.isDirectory(target.directory);
            if (exists) {
                wanted.add(target.directory);
            }
            Path guard = exists ? target.directory.getParent() : nearestExistingAncestor(target.directory);
            if (guard != null) {
                wanted.add(guard);
                newGuards.computeIfAbsent(guard, g -> new HashSet<>()).add(target.directory);
            }
        }
        guards = newGuards;
        for (Path directory : List.copyOf(keys.keySet())) {
            WatchKey key = keys.get(directory);
            if (!wanted.contains(directory) || !key.isValid()) {
                key.cancel();
                keys.remove(directory);
                directories.remove(key);
            }
        }
        failures.keySet().retainAll(wanted);
        boolean registered = false;
        for (Path directory : wanted) {
            if (!keys.containsKey(directory) && !refused.contains(directory)) {
                if (register(directory)) {
                    registered = true;
                } else {
                    refused.add(directory);
                }
            }
        }
        return registered;
    }

    private boolean register(Path directory) {
        try {
            WatchKey key = registrar.register(directory, service);
            keys.put(directory, key);
            directories.put(key, directory);
            if (failures.remove(directory) != null) {
                LOG.log(Level.INFO, "now watching {0}", directory);
            }
            return true;
        } catch (NoSuchFileException | NotDirectoryException e) {
            // Gone since we looked: the guard above it will tell us.
            return false;
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!message.equals(failures.put(directory, message))) {
                LOG.log(Level.ERROR, "cannot watch {0} for job(s) {1} ({2}): {3}{4}; retrying every {5} s",
                        directory, String.join(", ", jobsNeeding(directory)), String.join(" ", patternsNeeding(directory)),
                        message, limitHint(message), settings.retry().toSeconds());
            }
            return false;
        }
    }

    private Set<String> jobsNeeding(Path directory) {
        Set<String> jobs = new TreeSet<>();
        for (PatternDemand demand : demandsNeeding(directory)) {
            jobs.addAll(demand.jobs());
        }
        return jobs;
    }

    private List<String> patternsNeeding(Path directory) {
        List<String> patterns = new ArrayList<>();
        for (PatternDemand demand : demandsNeeding(directory)) {
            patterns.add("FILE=" + demand.pattern().text());
        }
        return patterns;
    }

    private List<PatternDemand> demandsNeeding(Path directory) {
        Set<Path> needing = new LinkedHashSet<>(guards.getOrDefault(directory, Set.of()));
        needing.add(directory);
        List<PatternDemand> demands = new ArrayList<>();
        for (Path path : needing) {
            Target target = targets.get(path);
            if (target != null) {
                demands.addAll(target.patterns);
            }
        }
        return demands;
    }

    private static String limitHint(String message) {
        if (!message.contains("limit")) {
            return "";
        }
        // Not Files.readString: on JDK 17 it returns one byte of a /proc file that reports size 0.
        try (BufferedReader reader = Files.newBufferedReader(MAX_USER_WATCHES)) {
            return " (fs.inotify.max_user_watches is " + reader.readLine() + ")";
        } catch (IOException | RuntimeException e) {
            return " (see fs.inotify.max_user_watches)";
        }
    }

    private void scheduleRetry() {
        if (failures.isEmpty() || retryTask != null) {
            return;
        }
        long delay = Math.max(1, settings.retry().toMillis());
        retryTask = schedule(() -> {
            retryTask = null;
            restructure().forEach(this::sync);
            scheduleFlush();
        }, TimeUnit.MILLISECONDS.toNanos(delay));
    }

    private static Path nearestExistingAncestor(Path directory) {
        Path ancestor = directory.getParent();
        while (ancestor != null && !Files.isDirectory(ancestor)) {
            ancestor = ancestor.getParent();
        }
        return ancestor;
    }

    private void process(WatchKey key) {
        List<WatchEvent<?>> events = key.pollEvents();
        boolean valid = key.reset();
        Path directory = directories.get(key);
        if (directory == null) {
            return;
        }
        Target target = targets.get(directory);
        Set<Path> waiting = guards.getOrDefault(directory, Set.of());
        boolean overflow = false;
        boolean structural = false;
        for (WatchEvent<?> event : events) {
            if (event.kind() == OVERFLOW) {
                overflow = true;
                continue;
            }
            Path child = directory.resolve((Path) event.context());
            if (target != null && !overflow) {
                change(target, child, kindOf(event.kind()));
            }
            if (waiting.stream().anyMatch(path -> path.startsWith(child))) {
                structural = true;
            }
        }
        Set<Target> resync = new LinkedHashSet<>();
        if (!valid) {
            keys.remove(directory);
            directories.remove(key);
            if (target != null) {
                target.watched = false;
                resync.add(target);
            }
            structural = true;
        }
        if (overflow) {
            rescans.incrementAndGet();
            LOG.log(Level.DEBUG, "event queue overflowed for {0}; rescanning", directory);
            if (target != null) {
                resync.add(target);
            }
            structural |= !waiting.isEmpty();
        }
        if (structural) {
            resync.addAll(restructure());
        }
        resync.forEach(this::sync);
        scheduleFlush();
    }

    private static FileEventKind kindOf(WatchEvent.Kind<?> kind) {
        if (kind == ENTRY_CREATE) {
            return FileEventKind.CREATE;
        }
        if (kind == ENTRY_DELETE) {
            return FileEventKind.DELETE;
        }
        return FileEventKind.MODIFY;
    }

    /** One live change to an entry of a target directory. */
    private void change(Target target, Path child, FileEventKind kind) {
        String name = child.getFileName().toString();
        if (target.patterns.stream().noneMatch(demand -> demand.pattern().matches(name))) {
            return;
        }
        // The snapshot is what has been reported; a listing may have reported this already.
        boolean known = target.snapshot.containsKey(name);
        switch (kind) {
            case CREATE -> {
                if (known) {
                    return;
                }
                target.snapshot.put(name, stamp(child).orElse(FileStamp.UNKNOWN));
            }
            case DELETE -> {
                if (!known) {
                    return;
                }
                target.snapshot.remove(name);
            }
            case MODIFY -> target.snapshot.put(name, stamp(child).orElse(FileStamp.UNKNOWN));
        }
        offer(target, name, kind);
    }

    private void offer(Target target, String name, FileEventKind kind) {
        long now = System.nanoTime();
        Path path = target.directory.resolve(name);
        for (PatternDemand demand : target.patterns) {
            if (demand.kinds().contains(kind) && demand.pattern().matches(name)) {
                coalescer.offer(demand.pattern(), kind, path, now).forEach(this::emit);
            }
        }
    }

    /**
     * Lists a target directory and reports the difference from the snapshot: creations,
     * modifications and deletions missed (overflow, the directory coming or going), and
     * the startup announcement owed to jobs seen for the first time.
     */
    private void sync(Target target) {
        Optional<Map<String, FileStamp>> listing = list(target);
        if (listing.isEmpty()) {
            return;
        }
        Map<String, FileStamp> current = listing.get();
        boolean primed = target.primed;
        target.primed = true;
        long now = System.nanoTime();
        for (PatternDemand demand : target.patterns) {
            boolean announce = owesAnnouncement(demand);
            for (Map.Entry<String, FileStamp> entry : current.entrySet()) {
                String name = entry.getKey();
                if (!demand.pattern().matches(name)) {
                    continue;
                }
                FileStamp before = target.snapshot.get(name);
                FileEventKind kind = null;
                if (announce || (before == null && primed)) {
                    kind = FileEventKind.CREATE;
                } else if (before != null && !before.equals(entry.getValue())) {
                    kind = FileEventKind.MODIFY;
                }
                if (kind != null && demand.kinds().contains(kind)) {
                    coalescer.offer(demand.pattern(), kind, target.directory.resolve(name), now).forEach(this::emit);
                }
            }
            if (demand.kinds().contains(FileEventKind.DELETE)) {
                for (String name : new TreeSet<>(target.snapshot.keySet())) {
                    if (!current.containsKey(name) && demand.pattern().matches(name)) {
                        coalescer.offer(demand.pattern(), FileEventKind.DELETE, target.directory.resolve(name), now)
                                .forEach(this::emit);
                    }
                }
            }
        }
        target.snapshot = current;
    }

    private boolean owesAnnouncement(PatternDemand demand) {
        Set<String> done = announced.computeIfAbsent(demand.pattern().text(), p -> new HashSet<>());
        return done.addAll(demand.announcedTo());
    }

    /** The matching entries and their stamps, sorted; empty map if the directory is gone. */
    private Optional<Map<String, FileStamp>> list(Target target) {
        Map<String, FileStamp> entries = new TreeMap<>();
        if (!Files.isDirectory(target.directory)) {
            return Optional.of(entries);
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(target.directory)) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                if (target.patterns.stream().anyMatch(demand -> demand.pattern().matches(name))) {
                    stamp(child).ifPresent(stamp -> entries.put(name, stamp));
                }
            }
            return Optional.of(entries);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.of(Map.of());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list {0}: {1}", target.directory, e.toString());
            return Optional.empty();
        }
    }

    private static Optional<FileStamp> stamp(Path path) {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return Optional.of(new FileStamp(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                    attributes.size()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void scheduleFlush() {
        OptionalLong deadline = coalescer.nextDeadline();
        if (deadline.isEmpty() || (flushTask != null && flushAt - deadline.getAsLong() <= 0)) {
            return;
        }
        if (flushTask != null) {
            flushTask.cancel(false);
        }
        flushAt = deadline.getAsLong();
        long delay = Math.max(0, flushAt - System.nanoTime());
        flushTask = schedule(this::flush, delay);
    }

    /** Schedules a guarded task on the worker; null once the watcher is closing. */
    private ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        try {
            return worker.schedule(() -> guarded(task), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private void flush() {
        flushTask = null;
        coalescer.flush(System.nanoTime()).forEach(this::emit);
        scheduleFlush();
    }

    private void emit(Coalescer.Emission emission) {
        Event event = Event.of(FileCondition.EVENT_NAME, "FILE=" + emission.pattern().text(),
                "EVENT=" + emission.kind().label(), "MATCH=" + emission.path());
        synchronized (emitLock) {
            if (closed) {
                return;
            }
            try {
                sink.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "emitting " + event + " failed", e);
            }
        }
    }
}
