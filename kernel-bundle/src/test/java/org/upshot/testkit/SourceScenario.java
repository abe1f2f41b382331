package org.upshot.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to drive one event source for real, so that {@link SourceContract} can check it in
 * the booted distribution. Each source module implements it in its tests and lists the
 * class in its test-jar's {@code META-INF/services/org.upshot.testkit.SourceScenario}; the
 * distribution's {@code SourceContractIT} finds every one with {@link java.util.ServiceLoader}.
 *
 * <p>Jobs are given as their condition stanzas only; the contract adds a long-running
 * main process. Every method may create files under {@code work}, a directory of this
 * scenario's own that outlives the daemon (never the daemon's own directories). Called
 * from one test thread.
 */
public interface SourceScenario {

    /**
     * The plugin under test: the artifactId of its jar in the distribution's
     * {@code plugins/} ({@code source-files} for {@code source-files-0.1.0.jar}).
     */
    String plugin();

    /** Makes true, before the daemon boots, the condition of {@link #alreadyTrueJob}. */
    void makeAlreadyTrue(Path work) throws IOException;

    /**
     * The conditions of a job that starts only because the source announces, when it
     * starts, something already true ({@link #makeAlreadyTrue}): {@code watch DIR nonempty}
     * over a directory that already holds a file.
     */
    String alreadyTrueJob(Path work);

    /**
     * The conditions of a job started by the source's real event once {@link #trigger}
     * causes it. A {@code start on} line, not a stanza of the plugin's: while the plugin
     * is away the job stays loaded, so an event that must not come would start it.
     */
    String triggeredJob(Path work);

    /**
     * Causes the event of {@link #triggeredJob} for real (creates a file, or lets the clock
     * tick: then it does nothing). May be called several times; each call causes the event
     * anew.
     */
    void trigger(Path work) throws IOException;

    /**
     * How long to watch for an event that must not come: longer, with a margin, than the
     * source takes to turn a {@link #trigger} into an event (a tick's period, a
     * coalescing window), so that an event it should not emit would show.
     */
    Duration quietWindow();
}
