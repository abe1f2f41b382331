package org.upshot.engine.internal.control;

import static org.upshot.control.Protocol.F_ENV;
import static org.upshot.control.Protocol.F_EVENT;
import static org.upshot.control.Protocol.F_INSTANCE;
import static org.upshot.control.Protocol.F_JOB;
import static org.upshot.control.Protocol.F_LEVEL;
import static org.upshot.control.Protocol.F_RETAIN;
import static org.upshot.control.Protocol.F_WAIT;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.upshot.control.Command;
import org.upshot.control.ErrorCode;
import org.upshot.control.Protocol;
import org.upshot.engine.internal.api.JobControl;
import org.upshot.engine.internal.api.JobControl.EnvironmentOperation;
import org.upshot.engine.internal.api.SourceStatus;
import org.upshot.engine.internal.journal.Journal;
import org.upshot.engine.internal.journal.JournalEntry;
import org.upshot.event.Event;
import org.upshot.event.EventResult;
import org.upshot.job.JobView;

/**
 * Turns one decoded request into a call on {@link JobControl} and its answer into the
 * reply's fields. Runs on the server's I/O thread and never blocks: every engine call
 * returns a stage at once. {@code events} is not handled here; it needs the connection.
 */
final class RequestDispatcher {

    private final JobControl control;
    private final String version;
    private final Path logDir;
    private final LogPriority logPriority;

    RequestDispatcher(JobControl control, String version, Path logDir, LogPriority logPriority) {
        this.control = control;
        this.version = version;
        this.logDir = logDir;
        this.logPriority = logPriority;
    }

    /**
     * Carries out {@code command}.
     *
     * @return the reply's fields besides {@code v}, {@code id} and {@code ok}; fails with
     *     a {@link org.upshot.engine.internal.api.ControlException}, a {@link RequestFailure}
     *     or a {@link org.upshot.control.JsonException} (bad field)
     */
    CompletionStage<Map<String, Object>> dispatch(Command command, Map<String, Object> request) {
        switch (command) {
            case START:
                return control.start(job(request), env(request), wait(request)).thenApply(RequestDispatcher::instance);
            case STOP:
                return control.stop(job(request), env(request), wait(request)).thenApply(RequestDispatcher::instance);
            case RESTART:
                return control.restart(job(request), env(request), wait(request)).thenApply(RequestDispatcher::instance);
            case RELOAD:
                return control.reload(job(request), env(request)).thenApply(RequestDispatcher::instance);
            case STATUS:
                return control.status(job(request), env(request)).thenApply(view -> fields("job", jobWithNotes(view)));
            case LIST:
                return control.list().thenApply(jobs -> {
                    List<Object> out = new ArrayList<>();
                    for (JobView job : jobs) {
                        out.add(jobWithNotes(job));
                    }
                    return fields("jobs", out);
                });
            case EMIT:
                return emit(request);
            case RELOAD_CONFIGURATION:
                return control.reloadConfiguration().thenApply(nothing -> new LinkedHashMap<>());
            case SHOW_CONFIG:
                String shown = Protocol.string(request, F_JOB, false);
                return control.definitions(shown == null ? "" : shown)
                        .thenApply(definitions -> fields("jobs", ConfigReport.show(definitions)));
            case CHECK_CONFIG:
                List<String> ignored = new ArrayList<>(Protocol.strings(request, "ignore"));
                ignored.addAll(control.emittedEvents());
                return selectedJobs(request).thenCombine(control.list(), (selected, all) -> {
                    Map<String, Object> reply = fields("jobs", ConfigReport.check(selected, all, ignored));
                    // the whole configuration's files; a named job is about its conditions
                    reply.put("files", request.containsKey(F_JOB) ? new ArrayList<Object>()
                            : new ArrayList<Object>(control.fileProblems()));
                    return reply;
                });
            case LOG_PRIORITY:
                return logPriority(request);
            case VERSION:
                return CompletableFuture.completedFuture(fields("version", "init (upshot " + version + ")"));
            case LOG:
                return logPath(request);
            case SET_ENV:
                return environment(request, Protocol.bool(request, F_RETAIN, false)
                        ? EnvironmentOperation.SET_RETAIN : EnvironmentOperation.SET);
            case GET_ENV:
                return environment(request, EnvironmentOperation.GET);
            case UNSET_ENV:
                return environment(request, EnvironmentOperation.UNSET);
            case LIST_ENV:
                return environment(request, EnvironmentOperation.LIST);
            case RESET_ENV:
                return environment(request, EnvironmentOperation.RESET);
            case JOURNAL:
                return control.journal().thenApply(RequestDispatcher::journal);
            case SOURCES:
                return control.sources().thenApply(RequestDispatcher::sources);
            case REBOOT:
            case HALT:
            case POWEROFF:
                return control.shutdown(JobControl.PowerAction.valueOf(command.name()))
                        .thenApply(nothing -> new LinkedHashMap<>());
            case REEXEC:
                return control.reexec().thenApply(nothing -> new LinkedHashMap<>());
            case EVENTS:
                throw new IllegalStateException("can't happen: events is the server's own command");
        }
        throw new IllegalStateException("can't happen: unhandled command " + command);
    }

    private CompletionStage<Map<String, Object>> emit(Map<String, Object> request) {
        String name = Protocol.string(request, F_EVENT, true);
        Event event;
        try {
            event = new Event(name, env(request));
        } catch (IllegalArgumentException e) {
            throw new RequestFailure(ErrorCode.BAD_ARGUMENT, "Invalid event name: " + name);
        }
        return control.emit(event, wait(request)).thenApply(result -> {
            if (result == EventResult.FAILED) {
                throw new RequestFailure(ErrorCode.FAILED, "Event failed");
            }
            return new LinkedHashMap<>();
        });
    }

    private CompletionStage<List<JobView>> selectedJobs(Map<String, Object> request) {
        String job = Protocol.string(request, F_JOB, false);
        if (job == null || job.isEmpty()) {
            return control.list();
        }
        return control.status(job).thenApply(List::of);
    }

    private CompletionStage<Map<String, Object>> logPriority(Map<String, Object> request) {
        String level = Protocol.string(request, F_LEVEL, false);
        if (level != null) {
            try {
                logPriority.set(level);
            } catch (IllegalArgumentException e) {
                throw new RequestFailure(ErrorCode.BAD_ARGUMENT, e.getMessage());
            }
        }
        return CompletableFuture.completedFuture(fields(F_LEVEL, logPriority.current()));
    }

    /** The job's {@code console log} file; the client reads it itself. */
    private CompletionStage<Map<String, Object>> logPath(Map<String, Object> request) {
        String job = job(request);
        String instance = Protocol.string(request, F_INSTANCE, false);
        return control.status(job).thenApply(view -> {
            String base = view.name().replace('/', '_');
            if (instance != null && !instance.isEmpty()) {
                base = base + "-" + instance.replace('/', '_');
            }
            return fields("path", logDir.resolve(base + ".log").toString());
        });
    }

    private CompletionStage<Map<String, Object>> environment(Map<String, Object> request,
            EnvironmentOperation operation) {
        String job = Protocol.string(request, F_JOB, false);
        String instance = Protocol.string(request, F_INSTANCE, false);
        List<String> arguments = Protocol.strings(request, "args");
        if (operation == EnvironmentOperation.SET || operation == EnvironmentOperation.SET_RETAIN) {
            requirePairs(arguments, true);
        }
        return control.environment(operation, job == null ? "" : job, instance == null ? "" : instance,
                arguments).thenApply(env -> fields(F_ENV, new ArrayList<Object>(env)));
    }

    /** The {@code sources} reply: each source with its state and counters. */
    private static Map<String, Object> sources(List<SourceStatus> statuses) {
        List<Object> out = new ArrayList<>(statuses.size());
        for (SourceStatus status : statuses) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("name", status.name());
            fields.put("bundle", status.bundle());
            fields.put("state", status.disabled().isPresent() ? "disabled" : "running");
            status.disabled().ifPresent(why -> fields.put("reason", why));
            fields.put("events", status.events());
            fields.put("dropped", status.dropped());
            fields.put("limit", status.perSecond());
            fields.put("burst", status.burst());
            out.add(fields);
        }
        return fields("sources", out);
    }

    /** The {@code journal} reply: {@code boot}, {@code recent}, {@code dropped}, {@code bootFull}. */
    private static Map<String, Object> journal(Journal.Snapshot snapshot) {
        Map<String, Object> reply = fields("boot", entries(snapshot.boot()));
        reply.put("recent", entries(snapshot.recent()));
        reply.put("dropped", snapshot.dropped());
        reply.put("bootFull", snapshot.bootFull());
        return reply;
    }

    private static List<Object> entries(List<JournalEntry> entries) {
        List<Object> out = new ArrayList<>(entries.size());
        for (JournalEntry entry : entries) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("t", entry.micros());
            fields.put("kind", entry.kind().wireName());
            if (!entry.job().isEmpty()) {
                fields.put(F_JOB, entry.job());
                fields.put(F_INSTANCE, entry.instance());
            }
            fields.put("what", entry.what());
            if (entry.pid() != 0) {
                fields.put("pid", entry.pid());
            }
            out.add(fields);
        }
        return out;
    }

    private static String job(Map<String, Object> request) {
        String job = Protocol.string(request, F_JOB, true);
        if (job.isEmpty()) {
            throw new RequestFailure(ErrorCode.BAD_REQUEST, "missing job name");
        }
        return job;
    }

    private static List<String> env(Map<String, Object> request) {
        List<String> env = Protocol.strings(request, F_ENV);
        requirePairs(env, false);
        return env;
    }

    /** Upstart's check: every entry {@code KEY=VALUE} (or a bare {@code KEY} for set-env). */
    private static void requirePairs(List<String> entries, boolean bareKeyAllowed) {
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq == 0 || (eq < 0 && !bareKeyAllowed) || entry.isEmpty()) {
                throw new RequestFailure(ErrorCode.BAD_ARGUMENT, "Env must be KEY=VALUE pairs");
            }
        }
    }

    private static boolean wait(Map<String, Object> request) {
        return Protocol.bool(request, F_WAIT, true);
    }

    /** The protocol's job object: the view, and what the event sources show under it. */
    private Map<String, Object> jobWithNotes(JobView view) {
        return Views.job(view, control.notes(view.name()));
    }

    private static Map<String, Object> instance(org.upshot.job.InstanceView view) {
        return fields(F_INSTANCE, Views.instance(view));
    }

    private static Map<String, Object> fields(String name, Object value) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(name, value);
        return fields;
    }
}
