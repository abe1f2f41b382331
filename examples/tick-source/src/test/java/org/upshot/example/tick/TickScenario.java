package org.upshot.example.tick;

import java.nio.file.Path;
import java.time.Duration;
import org.upshot.testkit.SourceScenario;

/**
 * The tick source in the contract suite ({@code org.upshot.testkit.SourceContract}). What
 * it announces at start is its clock's first reading ({@code COUNT=0}); its real event is
 * every later tick, which the clock causes by itself.
 */
public final class TickScenario implements SourceScenario {

    @Override
    public String plugin() {
        return "example-tick-source";
    }

    /** Nothing to prepare: a period's clock runs from the moment a job asks for it. */
    @Override
    public void makeAlreadyTrue(Path work) {
    }

    /** Hourly: within a test only the announcement ({@code COUNT=0}) can start it. */
    @Override
    public String alreadyTrueJob(Path work) {
        return "tick 3600";
    }

    /** Every tick but the announcement. */
    @Override
    public String triggeredJob(Path work) {
        return "start on tick PERIOD=1 COUNT!=0";
    }

    /** Nothing to do: the next tick comes within a second. */
    @Override
    public void trigger(Path work) {
    }

    /** Two and a half periods. */
    @Override
    public Duration quietWindow() {
        return Duration.ofMillis(2500);
    }
}
