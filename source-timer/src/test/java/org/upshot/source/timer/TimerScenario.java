package org.upshot.source.timer;

import java.nio.file.Path;
import java.time.Duration;
import org.upshot.testkit.SourceScenario;

/**
 * The timer source in the contract suite ({@code org.upshot.testkit.SourceContract}).
 * What is already true at start is a slot that is due: an interval's first comes one
 * period after the source starts. Its real event is a fire of a timer that a
 * {@code start on timer} condition makes, which the clock causes by itself.
 */
public final class TimerScenario implements SourceScenario {

    @Override
    public String plugin() {
        return "source-timer";
    }

    /** Nothing to prepare: a timer runs from the moment a job asks for it. */
    @Override
    public void makeAlreadyTrue(Path work) {
    }

    /** Its later fires find the job running and are skipped. */
    @Override
    public String alreadyTrueJob(Path work) {
        return "every 1s";
    }

    /** No stanza: the condition itself makes the timer. */
    @Override
    public String triggeredJob(Path work) {
        return "start on timer SCHEDULE=\"every 1s\"";
    }

    /** Nothing to do: the next fire comes within a second. */
    @Override
    public void trigger(Path work) {
    }

    /** Two and a half periods. */
    @Override
    public Duration quietWindow() {
        return Duration.ofMillis(2500);
    }
}
