package org.upshot.engine.internal.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.upshot.engine.internal.event.EventQueue;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.event.Event;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobState;
import org.upshot.job.ProcessKind;
import org.upshot.process.PosixException;
import org.upshot.process.Signals;
import org.upshot.spi.stanza.Readiness;
import org.upshot.spi.stanza.ReadinessTarget;

/**
 * A {@link JobContext} with no engine behind it: pids are numbers counted up, job events
 * go to a real {@link EventQueue} that the test drains when it chooses ({@link #finishEvents}),
 * and everything the job asks for is written down as a short word ({@link #effects}).
 */
final class FakeJobContext implements JobContext {

    private final EventQueue queue = new EventQueue(event -> { });
    private final List<String> effects = new ArrayList<>();
    private final List<QueuedEvent> emitted = new ArrayList<>();
    private final List<ProcessKind> spawnsUnderWay = new ArrayList<>();
    private Job job;
    private int nextPid = 100;
    private int killToken;
    private int startToken;
    /** The main pid most recently spawned or adopted. */
    private int mainPid;

    /** What the job asked for since the last call, then forgets it. */
    List<String> effects() {
        List<String> out = List.copyOf(effects);
        effects.clear();
        return out;
    }

    /** Lets every pending job event finish (the jobs waiting on them move on). */
    void finishEvents() {
        queue.poll();
    }

    int mainPid() {
        return mainPid;
    }

    int killToken() {
        return killToken;
    }

    int startToken() {
        return startToken;
    }

    /** The last job event emitted named {@code name}, for a test to hand back to the job. */
    QueuedEvent lastEmitted(String name) {
        for (int i = emitted.size() - 1; i >= 0; i--) {
            if (emitted.get(i).name().equals(name)) {
                return emitted.get(i);
            }
        }
        throw new AssertionError("no " + name + " event emitted");
    }

    @Override
    public QueuedEvent emit(Event event) {
        effects.add("emit:" + event.name());
        QueuedEvent queued = queue.emit(event);
        emitted.add(queued);
        return queued;
    }

    @Override
    public void spawn(ProcessKind kind) {
        effects.add("spawn:" + kind.label());
        spawnsUnderWay.add(kind);
    }

    /** The job this context serves; pass as the job's context factory. */
    JobContext boundTo(Job job) {
        this.job = job;
        return this;
    }

    /**
     * Tells the job the pid of every spawn it asked for, as the pool does after its
     * input: the pids are numbers counted up, in the order asked. Spawns the job asks for
     * on hearing are told too, until none is left.
     */
    void finishSpawns() {
        while (!spawnsUnderWay.isEmpty()) {
            finishSpawn();
        }
    }

    /** Tells the job the pid of the oldest spawn it asked for. */
    void finishSpawn() {
        ProcessKind kind = spawnsUnderWay.remove(0);
        int pid = nextPid++;
        if (kind == ProcessKind.MAIN) {
            mainPid = pid;
        }
        job.handle(new JobInput.Spawned(kind, pid));
    }

    /** Tells the job that the oldest spawn it asked for failed. */
    void failSpawn() {
        job.handle(new JobInput.SpawnFailed(spawnsUnderWay.remove(0), new PosixException("posix_spawn", 2, "x")));
    }

    @Override
    public void adopt(int pid) {
        mainPid = pid;
        effects.add("adopt:" + pid);
    }

    @Override
    public void disown(int pid) {
        effects.add("disown:" + pid);
    }

    @Override
    public void kill(int pid, int signal) {
        effects.add("kill:" + Signals.name(signal));
    }

    @Override
    public void resume(int pid) {
        effects.add("resume");
    }

    @Override
    public void scheduleKillTimeout(int token, Duration delay) {
        killToken = token;
        effects.add("kill-timer");
    }

    @Override
    public void scheduleStartTimeout(int token, Duration delay) {
        startToken = token;
        effects.add("start-timer");
    }

    @Override
    public List<Integer> leftovers() {
        return List.of();
    }

    @Override
    public void scheduleLeftoversCheck() {
        effects.add("leftovers-check");
    }

    @Override
    public Optional<InstanceRef> ownerOf(int pid) {
        return Optional.empty();
    }

    @Override
    public void trackDaemon(int pid) {
        effects.add("track-daemon");
    }

    @Override
    public void awaitReadiness(Readiness readiness, ReadinessTarget target) {
        effects.add("await-readiness");
    }

    @Override
    public void abandonReadiness(Readiness readiness, ReadinessTarget target) {
        effects.add("abandon-readiness");
    }

    /** The states entered, for the journal: kept apart from the effects the golden tables hold. */
    final List<String> statesEntered = new ArrayList<>();

    @Override
    public void stateChanged(JobState from, JobState to) {
        statesEntered.add(to.label());
    }

    @Override
    public void milestone(InstanceChange change) {
        effects.add("milestone:" + change.phase().name().toLowerCase(java.util.Locale.ROOT)
                + change.failure().map(f -> "(" + f.process() + ")").orElse(""));
    }

    @Override
    public void instanceStopped() {
        effects.add("forgotten");
    }
}
