package org.upshot.spi.stanza;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A readiness condition: the job stays {@code spawned} until the stage completes. Used
 * for {@code expect notify}, {@code expect listen}, {@code expect dbus NAME} and the
 * like; a job has at most one.
 *
 * <p>Both methods are called on the engine's thread and must return at once; the stage
 * may complete on any thread.
 */
@ConsumerType
public interface Readiness {

    /**
     * Starts waiting for the instance's main process {@code target.pid()} to become
     * ready.
     *
     * @return a stage completed with the pid to supervise from now on (usually
     *     {@code target.pid()}; another of the instance's processes if the daemon said so,
     *     as sd_notify's {@code MAINPID=} does), or completed exceptionally if it never will
     *     be ready; the message is logged and the job fails
     */
    CompletionStage<Integer> await(ReadinessTarget target);

    /**
     * The engine stopped waiting for {@code target} (the process exited, the job was
     * stopped): forget it. A stage completed afterwards is ignored.
     */
    default void abandon(ReadinessTarget target) {}

    /**
     * {@code reload JOB} is about to send the job's reload signal to {@code target.pid()},
     * the main process of a ready instance: a stage completed once the daemon has finished
     * reloading (sd_notify's {@code RELOADING=1} then {@code READY=1}), which the reload
     * waits for, or completed exceptionally if the daemon failed at it; the message is the
     * error {@code reload} answers. Called on the engine's thread before the signal is sent;
     * returns at once.
     *
     * @return empty (the default) when this kind cannot tell: the reload returns once the
     *     signal is sent
     */
    default Optional<CompletionStage<Void>> reload(ReadinessTarget target) {
        return Optional.empty();
    }
}
