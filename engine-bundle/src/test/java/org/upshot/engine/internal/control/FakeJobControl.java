package org.upshot.engine.internal.control;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.upshot.engine.internal.api.ControlException;
import org.upshot.engine.internal.api.ControlException.Reason;
import org.upshot.engine.internal.api.JobControl;
import org.upshot.engine.internal.api.SourceStatus;
import org.upshot.engine.internal.journal.Journal;
import org.upshot.engine.internal.journal.JournalEntry;
import org.upshot.event.Event;
import org.upshot.event.EventResult;
import org.upshot.job.InstanceView;
import org.upshot.job.JobGoal;
import org.upshot.job.JobState;
import org.upshot.job.JobView;
import org.upshot.job.ProcessKind;

/**
 * A canned engine for the transport, bad-input and permission tests: it answers from
 * fixed views and counts every call that would change job state, so a test can prove
 * that bad input changed nothing. Behaviour of real jobs is tested against the engine.
 */
final class FakeJobControl implements JobControl {

    final AtomicInteger mutations = new AtomicInteger();
    final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
    final List<Event> emitted = new CopyOnWriteArrayList<>();
    /** The answer to {@code start held}, completed by the test. */
    final CompletableFuture<InstanceView> held = new CompletableFuture<>();
    /** Every status request, by job name. */
    final List<String> statusCalls = new CopyOnWriteArrayList<>();
    /** Extra generated jobs, to make {@code list} replies large. */
    volatile int padding;

    static InstanceView instance(String job, String instance, JobGoal goal, JobState state,
            Map<ProcessKind, Integer> processes) {
        return new InstanceView(job, instance, goal, state, processes, List.of());
    }

    private static JobView job(String name, InstanceView... instances) {
        return new JobView(name, Path.of("/etc/init", name + ".conf"), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), Map.of(), List.of(instances));
    }

    private List<JobView> jobs() {
        List<JobView> jobs = new ArrayList<>();
        jobs.add(job("drogo", instance("drogo", "foo", JobGoal.STOP, JobState.PRE_STOP,
                Map.of(ProcessKind.MAIN, 6312, ProcessKind.PRE_STOP, 8609))));
        jobs.add(job("foo"));
        jobs.add(job("getty", instance("getty", "tty1", JobGoal.START, JobState.RUNNING,
                Map.of(ProcessKind.MAIN, 4152))));
        jobs.add(job("sobby", instance("sobby", "", JobGoal.START, JobState.RUNNING,
                Map.of(ProcessKind.MAIN, 14977))));
        for (int i = 0; i < padding; i++) {
            jobs.add(job("padding-job-with-a-long-name-" + i));
        }
        return jobs;
    }

    private CompletionStage<JobView> find(String name) {
        for (JobView job : jobs()) {
            if (job.name().equals(name)) {
                return CompletableFuture.completedFuture(job);
            }
        }
        return CompletableFuture.failedFuture(new ControlException(Reason.UNKNOWN_JOB, "Unknown job: " + name));
    }

    @Override
    public CompletionStage<InstanceView> start(String job, List<String> env, boolean wait) {
        mutations.incrementAndGet();
        if (job.equals("held")) {
            return held;
        }
        return find(job).thenApply(view -> {
            if (!view.instances().isEmpty()) {
                throw new ControlException(Reason.ALREADY_RUNNING, "Job is already running: " + job);
            }
            return instance(job, "", JobGoal.START, JobState.RUNNING, Map.of(ProcessKind.MAIN, 1234));
        });
    }

    @Override
    public CompletionStage<InstanceView> stop(String job, List<String> env, boolean wait) {
        mutations.incrementAndGet();
        return find(job).thenApply(view -> {
            if (view.instances().isEmpty()) {
                throw new ControlException(Reason.UNKNOWN_INSTANCE, "Unknown instance: " + job);
            }
            return instance(job, "", JobGoal.STOP, JobState.WAITING, Map.of());
        });
    }

    @Override
    public CompletionStage<InstanceView> restart(String job, List<String> env, boolean wait) {
        return start(job, env, wait);
    }

    @Override
    public CompletionStage<InstanceView> reload(String job, List<String> env) {
        mutations.incrementAndGet();
        return find(job).thenApply(view -> view.instances().get(0));
    }

    @Override
    public CompletionStage<JobView> status(String job, List<String> env) {
        statusCalls.add(job);
        return find(job);
    }

    @Override
    public CompletionStage<List<JobView>> list() {
        return CompletableFuture.completedFuture(jobs());
    }

    @Override
    public CompletionStage<List<Definition>> definitions(String job) {
        if (!job.isEmpty()) {
            return find(job).thenApply(view -> List.of(new Definition(view, List.of(), "")));
        }
        List<Definition> out = new ArrayList<>();
        for (JobView view : jobs()) {
            out.add(new Definition(view, List.of(), ""));
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public List<String> notes(String job) {
        return List.of();
    }

    @Override
    public CompletionStage<EventResult> emit(Event event, boolean wait) {
        mutations.incrementAndGet();
        emitted.add(event);
        return CompletableFuture.completedFuture(event.name().equals("doomed") ? EventResult.FAILED : EventResult.OK);
    }

    @Override
    public List<String> fileProblems() {
        return List.of();
    }

    @Override
    public List<String> emittedEvents() {
        return List.of("startup", "*-device-added");
    }

    @Override
    public CompletionStage<Void> reloadConfiguration() {
        mutations.incrementAndGet();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> shutdown(PowerAction action) {
        mutations.incrementAndGet();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> reexec() {
        mutations.incrementAndGet();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Runnable subscribe(Consumer<Event> events) {
        subscribers.add(events);
        return () -> subscribers.remove(events);
    }

    void publish(Event event) {
        for (Consumer<Event> subscriber : subscribers) {
            subscriber.accept(event);
        }
    }

    @Override
    public CompletionStage<List<String>> environment(EnvironmentOperation operation, String job,
            String instance, List<String> arguments) {
        if (operation != EnvironmentOperation.GET && operation != EnvironmentOperation.LIST) {
            mutations.incrementAndGet();
        }
        return CompletableFuture.completedFuture(List.of("PATH=/usr/bin:/bin", "TERM=linux"));
    }

    @Override
    public CompletionStage<List<SourceStatus>> sources() {
        return CompletableFuture.completedFuture(List.of(new SourceStatus("files", "org.upshot.source.files",
                Optional.empty(), 3, 0, 2000, 20_000)));
    }

    @Override
    public CompletionStage<Journal.Snapshot> journal() {
        Journal journal =
                new Journal(4, 2, () -> 1_000L, 0);
        journal.record(JournalEntry.Kind.STATE, "sobby", "", "starting", 0);
        return CompletableFuture.completedFuture(journal.snapshot());
    }
}
