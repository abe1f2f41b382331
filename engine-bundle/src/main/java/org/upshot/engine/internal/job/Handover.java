package org.upshot.engine.internal.job;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.upshot.daemon.DaemonSettings;
import org.upshot.daemon.DescriptorStore;
import org.upshot.engine.internal.api.ControlException;
import org.upshot.engine.internal.event.EventQueue;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.engine.internal.match.Condition;
import org.upshot.event.EventDescriptor;
import org.upshot.job.ProcessKind;
import org.upshot.process.Host;
import org.upshot.process.PosixException;
import org.upshot.spi.source.EventSource;

/**
 * {@code initctl reexec}: the daemon's program replaced in place, every job kept.
 *
 * <ol>
 *   <li>Seal: the events sources emit from now on are held here instead of queued, so that
 *       a steady stream of them (clients of a socket job) cannot keep the engine busy.</li>
 *   <li>Wait, for at most {@link #REST_TIMEOUT}, until every instance is at rest
 *       ({@link Job#atRest()}), every event on the queue is held only by conditions and no
 *       message waits (a reaped process's exit is not lost in the exec).</li>
 *   <li>The first time it is, pause the sources ({@link EventSource#pause}): they take in
 *       nothing more that the exec would lose (a connection accepted now would be closed
 *       with this program), so clients wait in the kernel for the next one. Once every
 *       pause is over, and if the engine is still at rest, the state is written; otherwise
 *       the wait goes on. From then on until the exec, any event emitted is refused (its
 *       emitter hears so). A wait that times out lifts the seal, resumes the sources and
 *       queues the held events.</li>
 *   <li>Write {@link ReexecState} and exec the same command line with the state file and
 *       the kept descriptors ({@link DescriptorStore}) named in system properties. The pid,
 *       the jobs' processes (still its children) and the listening sockets stay.</li>
 * </ol>
 *
 * Engine thread, except {@link #holdIfSealed}.
 */
final class Handover {

    private static final Logger LOG = System.getLogger(Handover.class.getName());
    /** How long a re-exec waits for the engine to come to rest before it gives up. */
    static final Duration REST_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Between the reply and the exec: time for the control thread to write the reply. A
     * client that misses it sees its connection end, as it would anyway (initctl waits for
     * the new program either way).
     */
    private static final long REPLY_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final JobRegistry registry;
    private final EventQueue queue;
    private final EngineLoop loop;
    private final SourceHost sources;
    private final Host host;
    private final DescriptorStore descriptors;
    private final Path stateFile;

    private final Object gate = new Object();
    /** Sources' events emitted while sealed; null when not sealed. Under {@code gate}. */
    private List<Held> sealed;
    /** Whether the message that hands over is posted and yet to run. */
    private boolean handOverPosted;
    /** Whether the sources were asked to pause for this re-exec. */
    private boolean sourcesPaused;
    /** Set once the state is taken: from then on until the exec, events are refused. Under {@code gate}. */
    private boolean written;
    private CompletableFuture<Void> pending;
    private long deadline;

    Handover(JobRegistry registry, EventQueue queue, EngineLoop loop, SourceHost sources, Host host,
            DescriptorStore descriptors, Path runtimeDir) {
        this.registry = registry;
        this.queue = queue;
        this.loop = loop;
        this.sources = sources;
        this.host = host;
        this.descriptors = descriptors;
        this.stateFile = runtimeDir.resolve("reexec.state");
    }

    /**
     * Posts {@code emitted} to the engine, or holds it if it comes from a source and the
     * handover is sealed; any thread. Under the seal's lock, so that whatever was posted
     * before the state is taken is handled before it is.
     */
    void emitOrHold(EngineInput.EventEmitted emitted, String source) {
        synchronized (gate) {
            if (sealed == null || (!written && source == null)) {
                loop.post(emitted);
            } else if (!written) {
                sealed.add(new Held(emitted, source));
            } else {
                // too late for the state: refused, so no one counts it as taken
                emitted.descriptors().forEach(EventDescriptor::release);
                emitted.done().completeExceptionally(new ControlException(ControlException.Reason.FAILED,
                        "The daemon is re-executing; emit again once it answers"));
            }
        }
    }

    /** Begins a re-exec; {@code done} completes just before the exec, or fails. */
    void begin(CompletableFuture<Void> done) {
        if (pending != null) {
            done.completeExceptionally(new ControlException(ControlException.Reason.FAILED,
                    "A re-exec is already under way"));
            return;
        }
        pending = done;
        deadline = System.nanoTime() + REST_TIMEOUT.toNanos();
        synchronized (gate) {
            sealed = new ArrayList<>();
        }
        LOG.log(Level.INFO, "re-exec requested: waiting for every job to be at rest");
        loop.schedule(new EngineInput.Request(this::giveUpIfPending), REST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        afterMessage();
    }

    /** Runs after each engine message: seals once the engine is at rest. */
    void afterMessage() {
        if (pending == null || handOverPosted || !busy().isEmpty()) {
            return;
        }
        handOverPosted = true;
        synchronized (gate) {
            loop.post(new EngineInput.Request(this::handOver));
        }
    }

    private void handOver() {
        handOverPosted = false;
        if (pending == null || !busy().isEmpty() || !loop.idle()) {
            return;
        }
        if (!sourcesPaused) {
            // at rest: stop the intake, then look again (the events emitted meanwhile are held)
            handOverPosted = true;
            sourcesPaused = true;
            sources.pauseAll().thenRun(() -> loop.post(new EngineInput.Request(this::handOver)));
            return;
        }
        List<Held> emitted;
        synchronized (gate) {
            emitted = List.copyOf(sealed);
            written = true;
        }
        ReexecState state = snapshot(emitted);
        List<String> argv;
        try {
            state.write(stateFile);
            argv = commandLine();
        } catch (IOException e) {
            fail("cannot write " + stateFile + ": " + e.getMessage());
            return;
        }
        List<Integer> keep = new ArrayList<>(descriptors.kept().values());
        for (ReexecState.EmittedEvent event : state.emitted()) {
            event.descriptors().forEach(descriptor -> keep.add(descriptor.fd()));
        }
        LOG.log(Level.INFO, "re-executing: " + state.instances().size() + " running instances, "
                + state.held().size() + " held events and " + keep.size() + " descriptors handed over");
        pending.complete(null);
        LockSupport.parkNanos(REPLY_GRACE_NANOS);
        try {
            host.replaceProgram(argv, environment(), keep);
        } catch (PosixException | RuntimeException e) {
            LOG.log(Level.ERROR, "re-exec failed, going on as before: " + e.getMessage());
            pending = null;
            unseal();
        }
    }

    /** What keeps the engine from being handed over now; empty when it is at rest. */
    private List<String> busy() {
        List<String> busy = new ArrayList<>();
        for (Job job : registry.allInstances()) {
            if (!job.atRest()) {
                busy.add(job.displayName() + " (" + job.goal().label() + "/" + job.state().label() + ")");
            }
        }
        Map<QueuedEvent, Integer> holds = holds();
        for (QueuedEvent event : queue.events()) {
            boolean heldOnly = event.progress() == QueuedEvent.Progress.HANDLING && !event.awaited()
                    && event.blockers() == holds.getOrDefault(event, 0);
            if (!heldOnly) {
                busy.add("event " + event.name());
            }
        }
        return busy;
    }

    /** How many condition leaves hold each event. */
    private Map<QueuedEvent, Integer> holds() {
        Map<QueuedEvent, Integer> holds = new IdentityHashMap<>();
        for (Condition<QueuedEvent> condition : conditions()) {
            condition.heldByLeaf().values().forEach(event -> holds.merge(event, 1, Integer::sum));
        }
        return holds;
    }

    private List<Condition<QueuedEvent>> conditions() {
        List<Condition<QueuedEvent>> conditions = new ArrayList<>();
        for (JobEntry entry : registry.entries()) {
            if (entry.startOn() != null) {
                conditions.add(entry.startOn());
            }
        }
        for (Job job : registry.allInstances()) {
            if (job.stopCondition() != null) {
                conditions.add(job.stopCondition());
            }
        }
        return conditions;
    }

    private ReexecState snapshot(List<Held> emitted) {
        Map<QueuedEvent, Integer> index = new IdentityHashMap<>();
        List<ReexecState.HeldEvent> held = new ArrayList<>();
        for (QueuedEvent event : queue.events()) {
            index.put(event, held.size());
            held.add(new ReexecState.HeldEvent(event.event(), event.failed()));
        }
        List<ReexecState.ConditionState> starts = new ArrayList<>();
        for (JobEntry entry : registry.entries()) {
            ReexecState.ConditionState start = conditionState(entry.jobClass().name(), entry.startOn(), index);
            if (start != null) {
                starts.add(start);
            }
        }
        List<ReexecState.InstanceState> instances = new ArrayList<>();
        for (Job job : registry.allInstances()) {
            job.pid(ProcessKind.MAIN).ifPresent(pid -> instances.add(new ReexecState.InstanceState(
                    job.ref(), pid, RunRecords.startTicks(pid).orElse(-1), job.env(), job.respawns(),
                    conditionState(job.jobClass().name(), job.stopCondition(), index))));
        }
        List<ReexecState.EmittedEvent> later = new ArrayList<>();
        for (Held event : emitted) {
            EngineInput.EventEmitted e = event.emitted();
            later.add(new ReexecState.EmittedEvent(e.event(), e.priority(), event.source(), e.descriptors().stream()
                    .map(d -> new ReexecState.HeldDescriptor(d.descriptor(), d.name(), d.standardIo())).toList()));
        }
        return new ReexecState(held, starts, instances, later);
    }

    private static ReexecState.ConditionState conditionState(String job, Condition<QueuedEvent> condition,
            Map<QueuedEvent, Integer> index) {
        if (condition == null) {
            return null;
        }
        Map<Integer, Integer> leaves = new LinkedHashMap<>();
        condition.heldByLeaf().forEach((leaf, event) -> leaves.put(leaf, index.get(event)));
        return leaves.isEmpty() ? null
                : new ReexecState.ConditionState(job, condition.expression().toString(), leaves);
    }

    /**
     * This program's command line, from {@code /proc/self/cmdline}, run by the binary
     * {@code /proc/self/exe} names, with the handover's two properties in place of any a
     * re-exec before put there.
     */
    private List<String> commandLine() throws IOException {
        String[] words = new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), StandardCharsets.UTF_8)
                .split("\0");
        List<String> argv = new ArrayList<>();
        argv.add(Path.of("/proc/self/exe").toRealPath().toString());
        argv.add("-D" + DaemonSettings.REEXEC_STATE + "=" + stateFile);
        argv.add("-D" + DaemonSettings.REEXEC_DESCRIPTORS + "=" + DescriptorStore.encode(descriptors.kept()));
        Set<String> replaced = Set.of("-D" + DaemonSettings.REEXEC_STATE + "=",
                "-D" + DaemonSettings.REEXEC_DESCRIPTORS + "=");
        for (int i = 1; i < words.length; i++) {
            String word = words[i];
            if (replaced.stream().noneMatch(word::startsWith)) {
                argv.add(word);
            }
        }
        return argv;
    }

    private static List<String> environment() {
        List<String> env = new ArrayList<>();
        System.getenv().forEach((key, value) -> env.add(key + "=" + value));
        return env;
    }

    private void giveUpIfPending() {
        if (pending != null && System.nanoTime() - deadline >= 0) {
            fail("not at rest within " + REST_TIMEOUT.toSeconds() + " s: " + String.join(", ", busy()));
        }
    }

    private void fail(String why) {
        LOG.log(Level.WARNING, "re-exec abandoned: " + why);
        pending.completeExceptionally(new ControlException(ControlException.Reason.FAILED,
                "Cannot re-exec now: " + why));
        pending = null;
        unseal();
    }

    /** Lifts the seal, lets paused sources take input again and queues what was held, in order. */
    private void unseal() {
        if (sourcesPaused) {
            sourcesPaused = false;
            sources.resumeAll();
        }
        List<Held> held;
        synchronized (gate) {
            held = sealed == null ? List.of() : sealed;
            sealed = null;
            written = false;
        }
        held.forEach(event -> emitOrHold(event.emitted(), event.source()));
    }

    /** An event a source emitted while sealed, and the source's name. */
    private record Held(EngineInput.EventEmitted emitted, String source) {}

    /** A descriptor a re-exec handed over with an event; closed when the event is done with it. */
    static EventDescriptor inherited(ReexecState.HeldDescriptor held, Host host) {
        return new EventDescriptor() {
            @Override
            public int descriptor() {
                return held.fd();
            }

            @Override
            public String name() {
                return held.name();
            }

            @Override
            public boolean standardIo() {
                return held.standardIo();
            }

            @Override
            public void release() {
                close(host, held.fd());
            }
        };
    }

    /** Closes a descriptor the daemon before handed over; a failure is only logged. */
    static void close(Host host, int fd) {
        try {
            host.closeDescriptor(fd);
        } catch (PosixException e) {
            LOG.log(Level.WARNING, "cannot close handed-over descriptor " + fd + ": " + e.getMessage());
        }
    }
}
