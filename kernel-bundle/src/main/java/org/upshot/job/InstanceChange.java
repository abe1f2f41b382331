package org.upshot.job;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A milestone in one instance's life, told to every event source as the engine passes
 * it: the same four moments as the job events {@code starting}, {@code started},
 * {@code stopping} and {@code stopped}, with the same failure details.
 *
 * @param instance which instance
 * @param phase which milestone
 * @param failure why it stopped, on {@link Phase#STOPPING} and {@link Phase#STOPPED}
 *     when it failed; empty otherwise
 */
public record InstanceChange(InstanceRef instance, Phase phase, Optional<Failure> failure) {

    public InstanceChange {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(failure, "failure");
    }

    /** The milestones, in the order one run passes them. */
    public enum Phase {
        /** The goal became start and the instance left {@code waiting} (or a respawn began). */
        STARTING,
        /** The instance is running: a service is ready, a task's main process runs. */
        STARTED,
        /** The instance entered {@code stopping}. */
        STOPPING,
        /** The instance is back in {@code waiting}, goal stop: this run is over. */
        STOPPED
    }

    /**
     * What failed, as in the {@code stopping}/{@code stopped} events.
     *
     * @param process {@code main}, {@code pre-start}, {@code post-stop}... or
     *     {@code respawn} when the respawn limit stopped the job
     * @param exitStatus the process's exit status, if it exited
     * @param exitSignal the signal that killed it ({@code SEGV}), if one did
     */
    public record Failure(String process, OptionalInt exitStatus, Optional<String> exitSignal) {
        public Failure {
            Objects.requireNonNull(process, "process");
            Objects.requireNonNull(exitStatus, "exitStatus");
            Objects.requireNonNull(exitSignal, "exitSignal");
        }
    }

    /** True when this is the end of a failed run (or the stop of one). */
    public boolean failed() {
        return failure.isPresent();
    }
}
