package org.upshot.source.files;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.upshot.event.EventExpression;
import org.upshot.event.EventExpression.Argument;
import org.upshot.job.JobView;

/** Small builders for job views and condition waits. */
final class Jobs {

    private Jobs() {}

    /** {@code file FILE=file [EVENT=event]}. */
    static EventExpression.Match file(String file, String event) {
        List<Argument> arguments = new ArrayList<>();
        arguments.add(Argument.equal("FILE", file));
        if (event != null) {
            arguments.add(Argument.equal("EVENT", event));
        }
        return new EventExpression.Match("file", arguments);
    }

    static JobView startOn(String name, EventExpression condition) {
        return new JobView(name, Path.of("/etc/init/" + name + ".conf"), Optional.empty(), Optional.of(condition),
                Optional.empty(), List.of(), Map.of(), List.of());
    }

    static JobView stopOn(String name, EventExpression condition) {
        return new JobView(name, Path.of("/etc/init/" + name + ".conf"), Optional.empty(), Optional.empty(),
                Optional.of(condition), List.of(), Map.of(), List.of());
    }

    /** A job with only {@code watch} stanzas, each given as its argument words. */
    static JobView watching(String name, List<List<String>> watches) {
        return new JobView(name, Path.of("/etc/init/" + name + ".conf"), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Map.of("watch", watches), List.of());
    }

    /** Waits for {@code condition}, failing with {@code message} after {@code timeout}. */
    static void await(BooleanSupplier condition, Duration timeout, Supplier<String> message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + ": " + message.get());
            }
            pause();
        }
    }

    /** Checks that {@code condition} stays false for {@code period}. */
    static boolean stays(BooleanSupplier condition, Duration period) {
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (condition.getAsBoolean()) {
                return false;
            }
            pause();
        }
        return !condition.getAsBoolean();
    }

    private static void pause() {
        // A poll interval for the condition, not an ordering device.
        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
    }
}
