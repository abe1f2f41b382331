package org.upshot.spi.stanza;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A readiness condition: the job stays {@code spawned} until the stage completes.
 * Used for {@code expect notify}, {@code expect listen} and {@code expect dbus NAME}.
 */
@ConsumerType
public interface Readiness {

    /**
     * Starts waiting for the process {@code pid} to become ready.
     *
     * @return a stage completed when it is ready, or completed exceptionally if it
     *     never will be; the engine abandons it when the process exits first
     */
    CompletionStage<Void> await(int pid);
}
