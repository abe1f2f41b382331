package org.upshot.spi.source;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.osgi.annotation.versioning.ProviderType;
import org.upshot.daemon.DaemonSettings;
import org.upshot.event.EventEmitter;
import org.upshot.job.InstanceRef;

/**
 * What the engine offers one started source. Provided by the engine; thread-safe, every
 * method may be called from any thread and returns at once.
 */
@ProviderType
public interface SourceContext {

    /** Where this source's events go; the engine's log names the source on each. */
    EventEmitter emitter();

    /**
     * The instance a process belongs to: the instance whose main process or helper it is,
     * or whose such process it descends from (walking parents, stopping at the daemon). For
     * readiness protocols that authenticate a sender by its pid, as sd_notify does.
     *
     * @return empty for a process no instance owns, or one that has already exited
     */
    Optional<InstanceRef> ownerOf(int pid);

    /**
     * The main process of {@code instance} now: the one the engine supervises, after any
     * fork it followed or {@link #moveMainProcess move} it made. Any thread.
     *
     * @return empty when the instance has none (not started, or its main process is gone)
     */
    OptionalInt mainProcess(InstanceRef instance);

    /** The daemon's settings: mode and directories (runtime, state) a source may use. */
    DaemonSettings settings();

    /**
     * Lines this source shows under {@code job} in {@code initctl status} and {@code list}
     * ({@code notes} in the control protocol), replacing what it showed there before; an
     * empty list removes them. Kept until replaced, until the job is removed, or until the
     * source stops or is disabled. A job the source has not been told about (through
     * {@link EventSource#jobsChanged}) shows nothing. Any thread; returns at once.
     *
     * @param job the job's name
     * @param lines the lines, in the order shown
     */
    void describe(String job, List<String> lines);

    /**
     * The daemon of {@code instance} names another of its processes as the main one, as
     * sd_notify's {@code MAINPID=} does once the instance is running: the engine supervises
     * {@code newPid} from now on. Ignored (and logged) unless {@code oldPid} is still the
     * instance's main process and {@code newPid} is one of its processes. Any thread;
     * returns at once.
     */
    void moveMainProcess(InstanceRef instance, int oldPid, int newPid);

    /**
     * Ends the main process {@code pid} of {@code instance} with SIGABRT because its daemon
     * broke a promise (a missed watchdog ping): the run fails with {@code RESULT=failed
     * PROCESS=<process>} and respawns if the job respawns. Ignored unless {@code pid} is
     * still the instance's main process. Any thread; returns at once.
     *
     * @param process what the failure is called in {@code PROCESS}, e.g. {@code watchdog}
     */
    void abort(InstanceRef instance, int pid, String process);

    /**
     * The daemon of {@code instance} (main process {@code pid}) asks for more time in the
     * phase it is in, as sd_notify's {@code EXTEND_TIMEOUT_USEC=} does: the phase's timeout
     * ({@code start timeout} while it gets ready, {@code kill timeout} while it stops) fires
     * no earlier than {@code extension} from now, and no earlier than it would have anyway.
     * Any thread; returns at once.
     */
    void extendTimeout(InstanceRef instance, int pid, Duration extension);
}
