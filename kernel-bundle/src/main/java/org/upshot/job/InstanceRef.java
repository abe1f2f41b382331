package org.upshot.job;

import java.util.Objects;

/**
 * Names one job instance.
 *
 * @param job the job's name ({@code net/foo})
 * @param instance the instance name, empty for a singleton
 */
public record InstanceRef(String job, String instance) {

    public InstanceRef {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(instance, "instance");
    }

    /** {@code job} or {@code job (instance)}, as Upstart names instances in logs and replies. */
    public String displayName() {
        return instance.isEmpty() ? job : job + " (" + instance + ")";
    }

    @Override
    public String toString() {
        return displayName();
    }
}
