package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.engine.internal.job.EngineHarness.await;
import static org.upshot.engine.internal.job.EngineHarness.get;

import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.engine.internal.api.ControlException;

/** Shutting down: once every job is being stopped, neither an event nor a request starts one again. */
@Timeout(60)
class StopAllIT {

    @Test
    void afterStopAllAnEventOrARequestStartsNothing() throws Exception {
        try (EngineHarness h = new EngineHarness()) {
            h.job("svc", "start on go", "console none", "exec sleep 1000").load();
            h.emit("go");
            await("running", () -> h.running("svc"));

            get(h.engine.stopAll());
            assertTrue(h.stopped("svc"));
            h.emit("go");
            assertTrue(h.stopped("svc"), "the event after stopAll started svc again");
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> h.control.start("svc", List.of(), true).toCompletableFuture().get());
            ControlException cause = (ControlException) refused.getCause();
            assertEquals(ControlException.Reason.FAILED, cause.reason());
            assertEquals("The daemon is shutting down: svc is not started", cause.getMessage());
        }
    }
}
