package org.upshot.source.socket.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.upshot.daemon.DaemonSettings;
import org.upshot.daemon.DescriptorStore;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobView;
import org.upshot.spi.source.SourceContext;
import org.upshot.spi.stanza.ReadinessTarget;

/**
 * The daemon's sd_notify socket and what it has heard: one {@code notify.sock} in the
 * runtime directory (a unix datagram socket told each sender's credentials), one thread
 * reading it, and what each supervised instance said last. Shared by the stanzas
 * ({@code expect notify}, {@code watchdog}, {@code notify-access}) and the notify source,
 * which lends it the engine ({@link #attach}). See the package essay for the rules.
 */
@Component(service = NotifyTable.class)
public final class NotifyTable {

    private static final Logger LOG = System.getLogger("org.upshot.source.socket.notify");
    /** systemd's rule: a message of PIPE_BUF bytes or more is dropped. */
    static final int MAX_MESSAGE = 4096;
    /** How long a reload waits for the daemon to say {@code RELOADING=1} (or {@code READY=1}) before it returns. */
    private static final Duration RELOAD_ANSWER = Duration.ofSeconds(1);
    /** How long a reload the daemon announced may take before {@code reload} gives up on it. */
    private static final Duration RELOAD_LIMIT = Duration.ofSeconds(90);
    /** {@code PROCESS} of a run the watchdog ended. */
    static final String WATCHDOG = "watchdog";
    /** The most messages kept per instance before it is supervised. */
    private static final int MAX_EARLY = 16;

    /** Who may send for a job: its main process, or any of its processes. */
    enum Access { MAIN, ALL }

    /** What one instance said, and what waits on it. Guarded by the table. */
    private static final class Supervised {
        final InstanceRef instance;
        int mainPid;
        /** Completed with the main pid at {@code READY=1}; null once ready (or without expect notify). */
        CompletableFuture<Integer> ready;
        CompletableFuture<Void> reload;
        ScheduledFuture<?> reloadDeadline;
        boolean reloading;
        String status;
        boolean stopping;
        Duration watchdog;
        ScheduledFuture<?> watchdogDeadline;
        /** Numbers each arming, so that a deadline a ping replaced does nothing. */
        int watchdogArmings;
        int refused;

        Supervised(InstanceRef instance, int mainPid) {
            this.instance = instance;
            this.mainPid = mainPid;
        }
    }

    /** A message heard before its instance was supervised. */
    private record Early(int pid, NotifyMessage message) {}

    /** What a job's loaded definition asks of this table. */
    private record JobNotify(Access access, Optional<Duration> watchdog) {}

    private final Map<InstanceRef, Supervised> supervised = new HashMap<>();
    private final Map<String, JobNotify> jobs = new HashMap<>();
    /** Messages from instances not (yet) supervised; dropped when the instance stops. */
    private final Map<InstanceRef, List<Early>> early = new HashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "upshot-notify-timers");
        thread.setDaemon(true);
        return thread;
    });
    private Path path;
    private int fd = -1;
    private int[] wakePipe;
    private Thread reader;
    private volatile boolean reading;
    private SourceContext context;
    private long withoutCredentials;
    /** Keeps the socket across a re-exec; null outside the framework (unit tests): nothing is kept. */
    @Reference
    private volatile DescriptorStore descriptors;
    private static final String DESCRIPTOR_NAME = "notify";
    private long tooLong;

    /** The socket, in the runtime directory of the daemon this bundle runs in. */
    @Activate
    void activate(BundleContext bundle) {
        DaemonSettings settings = DaemonSettings.fromProperties(bundle::getProperty, DaemonSettings.Facts.current());
        open(settings.runtimeDir().resolve("notify.sock"));
    }

    /**
     * Binds the socket at {@code socketPath} and starts reading it. A socket that cannot be
     * bound is logged, and {@code expect notify} then fails to load with the reason.
     */
    public synchronized void open(Path socketPath) {
        path = socketPath;
        try {
            Files.createDirectories(socketPath.getParent());
            DescriptorStore store = descriptors;
            OptionalInt handedOver = store == null ? OptionalInt.empty() : store.take(DESCRIPTOR_NAME);
            // a re-exec hands the bound socket over: datagrams sent meanwhile wait in it
            fd = handedOver.isPresent() ? handedOver.getAsInt() : NativeSockets.openDatagram(socketPath);
            if (store != null) {
                store.keep(DESCRIPTOR_NAME, fd);
            }
            wakePipe = NativeSockets.wakePipe();
        } catch (java.io.IOException e) {
            LOG.log(Level.ERROR, "cannot open the notify socket " + socketPath + ": " + e.getMessage());
            return;
        }
        startReading();
    }

    /** Reads the socket again after {@link #pause}. */
    public synchronized void resume() {
        if (fd >= 0 && reader == null) {
            startReading();
        }
    }

    private void startReading() {
        reading = true;
        reader = new Thread(this::read, "upshot-notify-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * A re-exec is coming: no more datagrams are read until {@link #resume}; those sent
     * meanwhile wait in the socket. Returns once the reader has ended, its messages acted on.
     */
    public void pause() {
        Thread running;
        synchronized (this) {
            reading = false;
            running = reader;
            reader = null;
            if (wakePipe != null) {
                NativeSockets.wake(wakePipe[1]);
            }
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Deactivate
    public void close() {
        pause();
        timers.shutdownNow();
        synchronized (this) {
            if (fd >= 0) {
                DescriptorStore store = descriptors;
                if (store != null) {
                    store.forget(DESCRIPTOR_NAME);
                }
                NativeSockets.close(fd);
                NativeSockets.close(wakePipe[0]);
                NativeSockets.close(wakePipe[1]);
                fd = -1;
                try {
                    Files.deleteIfExists(path);
                } catch (java.io.IOException e) {
                    // the next daemon replaces it
                }
            }
            supervised.values().forEach(this::cancelTimers);
        }
    }

    /**
     * The value of {@code NOTIFY_SOCKET} for jobs.
     *
     * @throws IllegalStateException with the reason, if the socket could not be bound
     */
    public synchronized String socketPath() {
        if (fd < 0) {
            throw new IllegalStateException("the notify socket " + path + " could not be bound (see the log)");
        }
        return path.toString();
    }

    /** The engine to report to, from the notify source; null when it stops: messages are then dropped. */
    public synchronized void attach(SourceContext engine) {
        this.context = engine;
        if (engine == null) {
            supervised.values().forEach(this::cancelTimers);
            supervised.clear();
            early.clear();
        }
    }

    // ---- what the engine and the source tell the table -----------------------------------

    /** {@code expect notify}: the instance is ready at {@code READY=1} from an allowed sender. */
    synchronized CompletionStage<Integer> awaitReady(ReadinessTarget target) {
        Supervised entry = new Supervised(target.instance(), target.pid());
        entry.ready = new CompletableFuture<>();
        Supervised old = supervised.put(target.instance(), entry);
        if (old != null) {
            cancelTimers(old);
        }
        CompletableFuture<Integer> ready = entry.ready;
        replayEarly(entry);
        return ready;
    }

    synchronized void abandon(ReadinessTarget target) {
        Supervised entry = supervised.get(target.instance());
        if (entry != null && entry.ready != null && entry.mainPid == target.pid()) {
            supervised.remove(target.instance());
            cancelTimers(entry);
        }
    }

    /**
     * {@code reload}: done at the next {@code READY=1}, or at once if the daemon has not
     * said {@code RELOADING=1} or {@code READY=1} within {@link #RELOAD_ANSWER} (it does
     * not announce reloads).
     */
    synchronized Optional<CompletionStage<Void>> reload(ReadinessTarget target) {
        Supervised entry = supervised.get(target.instance());
        if (entry == null || entry.ready != null) {
            return Optional.empty();
        }
        failReload(entry, "another reload began");
        CompletableFuture<Void> done = new CompletableFuture<>();
        entry.reload = done;
        entry.reloading = false;
        entry.reloadDeadline = timers.schedule(() -> reloadDeadline(entry, done), RELOAD_ANSWER.toMillis(),
                TimeUnit.MILLISECONDS);
        return Optional.of(done);
    }

    private synchronized void reloadDeadline(Supervised entry, CompletableFuture<Void> done) {
        if (entry.reload != done) {
            return;
        }
        if (!entry.reloading) {
            finishReload(entry); // a daemon that does not announce its reloads
        } else {
            failReload(entry, "no READY=1 within " + RELOAD_LIMIT.toSeconds() + " s of RELOADING=1");
        }
    }

    /** The loaded jobs: who may send for each, and which have a watchdog. */
    public synchronized void jobsChanged(Collection<JobView> loaded) {
        jobs.clear();
        for (JobView job : loaded) {
            List<List<String>> access = job.stanzas().getOrDefault(NotifyStanzas.ACCESS, List.of());
            List<List<String>> watchdog = job.stanzas().getOrDefault(NotifyStanzas.WATCHDOG, List.of());
            if (access.isEmpty() && watchdog.isEmpty()) {
                continue;
            }
            boolean all = !access.isEmpty() && access.get(access.size() - 1).equals(List.of("all"));
            Optional<Duration> interval = watchdog.isEmpty() ? Optional.empty()
                    : Optional.ofNullable(Durations.parse(watchdog.get(watchdog.size() - 1).get(0)));
            jobs.put(job.name(), new JobNotify(all ? Access.ALL : Access.MAIN, interval));
        }
        describeAll();
    }

    /** Arms the watchdog once an instance runs; forgets an instance once it stops. */
    public synchronized void instanceChanged(InstanceChange change) {
        InstanceRef instance = change.instance();
        switch (change.phase()) {
            case STARTED -> {
                JobNotify job = jobs.get(instance.job());
                if (job == null || context == null) {
                    return; // only expect notify listens before started, and its entry is made
                }
                OptionalInt main = context.mainProcess(instance);
                if (main.isEmpty()) {
                    return;
                }
                Supervised entry = supervised.computeIfAbsent(instance, key -> new Supervised(key, main.getAsInt()));
                entry.mainPid = main.getAsInt();
                entry.watchdog = job.watchdog().orElse(null);
                armWatchdog(entry);
                replayEarly(entry);
            }
            case STOPPING -> {
                Supervised entry = supervised.get(instance);
                if (entry != null) {
                    cancelTimers(entry);
                    failReload(entry, "the job is stopping");
                }
            }
            case STOPPED -> {
                early.remove(instance);
                Supervised entry = supervised.remove(instance);
                if (entry != null) {
                    cancelTimers(entry);
                    describe(instance.job());
                }
            }
            case STARTING -> { }
        }
    }

    // ---- what daemons say ---------------------------------------------------------------

    private void read() {
        NativeSockets.DatagramReader datagrams = new NativeSockets.DatagramReader(MAX_MESSAGE);
        try {
            while (reading) {
                NativeSockets.poll(wakePipe[0], List.of(fd), -1);
                NativeSockets.Datagram datagram;
                while (reading && (datagram = datagrams.read(fd)) != null) {
                    try {
                        received(datagram);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "a notify message from " + datagram.pid() + " was not understood", e);
                    }
                }
            }
        } catch (NativeSockets.SocketError e) {
            LOG.log(Level.ERROR, "the notify socket reader stopped; sd_notify messages are no longer heard", e);
        }
    }

    /** One datagram: checked, attributed to an instance, then acted on. */
    synchronized void received(NativeSockets.Datagram datagram) {
        if (datagram.truncated()) {
            drop(++tooLong == 1, "a message of " + MAX_MESSAGE + " bytes or more");
            return;
        }
        if (datagram.pid() <= 0) {
            drop(++withoutCredentials == 1, "a message without credentials");
            return;
        }
        if (context == null) {
            return;
        }
        Optional<InstanceRef> owner = context.ownerOf(datagram.pid());
        if (owner.isEmpty()) {
            LOG.log(Level.DEBUG, () -> "notify message from " + datagram.pid() + ", which no job owns");
            return;
        }
        NotifyMessage message = NotifyMessage.parse(new String(datagram.payload(), StandardCharsets.UTF_8));
        Supervised entry = supervised.get(owner.get());
        if (entry == null) {
            // a daemon may speak before the engine has asked after it (it was only just spawned)
            List<Early> kept = early.computeIfAbsent(owner.get(), instance -> new ArrayList<>());
            if (kept.size() < MAX_EARLY) {
                kept.add(new Early(datagram.pid(), message));
            }
            return;
        }
        heard(entry, datagram.pid(), message);
    }

    /** A message from {@code pid}, a process of the entry's instance: acted on if it may speak. */
    private void heard(Supervised entry, int pid, NotifyMessage message) {
        JobNotify job = jobs.get(entry.instance.job());
        Access access = job == null ? Access.MAIN : job.access();
        if (access == Access.MAIN && pid != entry.mainPid) {
            entry.refused++;
            LOG.log(Level.DEBUG, () -> entry.instance.displayName() + ": notify message from " + pid
                    + ", not its main process " + entry.mainPid + " (notify-access all allows it)");
            describe(entry.instance.job());
            return;
        }
        act(entry, message);
    }

    /** How many messages are held for {@code instance}, which is not supervised yet. */
    synchronized int heldFor(InstanceRef instance) {
        return early.getOrDefault(instance, List.of()).size();
    }

    /** What an instance said before it was asked after, in order. */
    private void replayEarly(Supervised entry) {
        List<Early> kept = early.remove(entry.instance);
        if (kept != null) {
            kept.forEach(message -> heard(entry, message.pid(), message.message()));
        }
    }

    private void drop(boolean first, String what) {
        Level level = first ? Level.WARNING : Level.DEBUG;
        LOG.log(level, () -> "dropped " + what + " on the notify socket (" + withoutCredentials
                + " without credentials, " + tooLong + " too long so far)");
        describeAll();
    }

    private void act(Supervised entry, NotifyMessage message) {
        InstanceRef instance = entry.instance;
        message.mainPid().ifPresent(pid -> moveMain(entry, pid));
        message.value("STATUS").ifPresent(status -> {
            entry.status = status;
            describe(instance.job());
        });
        if (message.flag("STOPPING")) {
            entry.stopping = true;
            describe(instance.job());
        }
        message.micros("EXTEND_TIMEOUT_USEC").ifPresent(
                extension -> context.extendTimeout(instance, entry.mainPid, extension));
        message.micros("WATCHDOG_USEC").ifPresent(interval -> {
            entry.watchdog = interval;
            armWatchdog(entry);
        });
        if (message.flag("WATCHDOG")) {
            armWatchdog(entry);
        }
        if (message.value("WATCHDOG").equals(Optional.of("trigger"))) {
            abortForWatchdog(entry);
        }
        if (message.flag("RELOADING")) {
            entry.reloading = true;
            if (entry.reload != null) {
                entry.reloadDeadline.cancel(false);
                CompletableFuture<Void> done = entry.reload;
                entry.reloadDeadline = timers.schedule(() -> reloadDeadline(entry, done), RELOAD_LIMIT.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
        if (message.flag("READY")) {
            if (entry.ready != null) {
                CompletableFuture<Integer> ready = entry.ready;
                entry.ready = null;
                ready.complete(entry.mainPid);
            } else if (entry.reload != null) {
                finishReload(entry);
            }
            entry.reloading = false;
        }
    }

    /** {@code MAINPID=}: only one of the instance's own processes may take over. */
    private void moveMain(Supervised entry, int pid) {
        if (pid == entry.mainPid) {
            return;
        }
        if (!context.ownerOf(pid).equals(Optional.of(entry.instance))) {
            LOG.log(Level.WARNING, entry.instance.displayName() + " named " + pid
                    + " its main process (MAINPID), which is not one of its processes; ignored");
            return;
        }
        if (entry.ready == null) {
            context.moveMainProcess(entry.instance, entry.mainPid, pid);
        }
        entry.mainPid = pid; // before READY=1 the readiness stage answers it
    }

    private void finishReload(Supervised entry) {
        if (entry.reloadDeadline != null) {
            entry.reloadDeadline.cancel(false);
        }
        CompletableFuture<Void> done = entry.reload;
        entry.reload = null;
        done.complete(null);
    }

    private void failReload(Supervised entry, String why) {
        if (entry.reload != null) {
            entry.reloadDeadline.cancel(false);
            CompletableFuture<Void> done = entry.reload;
            entry.reload = null;
            done.completeExceptionally(new IllegalStateException(why));
        }
    }

    // ---- the watchdog -------------------------------------------------------------------

    /** (Re)starts the instance's watchdog, if it has one and it is armed (from {@code started} on). */
    private void armWatchdog(Supervised entry) {
        if (entry.watchdog == null) {
            return;
        }
        if (entry.watchdogDeadline != null) {
            entry.watchdogDeadline.cancel(false);
        }
        int arming = ++entry.watchdogArmings;
        entry.watchdogDeadline = timers.schedule(() -> watchdogMissed(entry, arming), entry.watchdog.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    private synchronized void watchdogMissed(Supervised entry, int arming) {
        if (entry.watchdogArmings != arming || entry.watchdogDeadline == null) {
            return; // pinged meanwhile, or stopping
        }
        LOG.log(Level.WARNING, entry.instance.displayName() + " missed its watchdog ("
                + Durations.format(entry.watchdog) + ")");
        abortForWatchdog(entry);
    }

    private void abortForWatchdog(Supervised entry) {
        if (supervised.get(entry.instance) == entry && context != null) {
            cancelTimers(entry);
            context.abort(entry.instance, entry.mainPid, WATCHDOG);
        }
    }

    private void cancelTimers(Supervised entry) {
        if (entry.watchdogDeadline != null) {
            entry.watchdogDeadline.cancel(false);
            entry.watchdogDeadline = null;
        }
        if (entry.reloadDeadline != null) {
            entry.reloadDeadline.cancel(false);
        }
    }

    // ---- what initctl status shows -------------------------------------------------------

    private void describeAll() {
        Set<String> names = new HashSet<>(jobs.keySet());
        supervised.keySet().forEach(instance -> names.add(instance.job()));
        names.forEach(this::describe);
    }

    private void describe(String job) {
        if (context == null) {
            return;
        }
        List<String> lines = new ArrayList<>();
        boolean any = false;
        for (Supervised entry : supervised.values()) {
            if (!entry.instance.job().equals(job)) {
                continue;
            }
            any = true;
            String prefix = entry.instance.instance().isEmpty() ? "" : "(" + entry.instance.instance() + ") ";
            if (entry.status != null) {
                lines.add(prefix + "status: " + entry.status);
            }
            if (entry.stopping) {
                lines.add(prefix + "stopping (STOPPING=1)");
            }
            if (entry.refused > 0) {
                lines.add(prefix + "notify: " + entry.refused + " message(s) refused: not from the main process");
            }
        }
        if (any && (withoutCredentials > 0 || tooLong > 0)) {
            lines.add("notify socket: dropped " + withoutCredentials + " without credentials, " + tooLong
                    + " of " + MAX_MESSAGE + " bytes or more");
        }
        context.describe(job, lines);
    }
}
