package org.upshot.spi.stanza;

import java.util.Objects;
import org.upshot.job.InstanceRef;

/**
 * What a {@link Readiness} waits for: one run of one instance.
 *
 * @param instance the instance
 * @param pid its main process as spawned
 */
public record ReadinessTarget(InstanceRef instance, int pid) {

    public ReadinessTarget {
        Objects.requireNonNull(instance, "instance");
    }
}
