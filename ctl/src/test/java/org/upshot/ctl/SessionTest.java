package org.upshot.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.upshot.control.Protocol;

/** Command lines turned into requests, before anything is sent: what each word becomes. */
class SessionTest {

    private static final Map<String, String> NO_ENVIRONMENT = Map.of();

    private static Map<String, Object> request(String program, String... args) {
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new Initctl(program, NO_ENVIRONMENT, discard, discard).session(args).request();
    }

    @Test
    void statusValuesNameTheInstance() {
        // status web PORT=8002 asks for the instance the values name, as Upstart's GetInstance did.
        Map<String, Object> request = request("status", "web", "PORT=8002");
        assertEquals("status", request.get(Protocol.F_CMD));
        assertEquals("web", request.get(Protocol.F_JOB));
        assertEquals(List.of("PORT=8002"), request.get(Protocol.F_ENV));
        assertEquals(List.of("PORT=8002", "HOST=a=b"),
                request("initctl", "status", "web", "PORT=8002", "HOST=a=b").get(Protocol.F_ENV));
    }

    @Test
    void statusWithoutValuesSendsNoEnvAndAsksForEveryInstance() {
        assertFalse(request("status", "web").containsKey(Protocol.F_ENV));
    }

    @Test
    void statusRefusesAWordThatIsNotAPairAsStartDoes() {
        // a failure (exit 1) with Upstart's words, not a usage error: the daemon would say the same.
        Initctl.Failure status = assertThrows(Initctl.Failure.class, () -> request("status", "web", "8002"));
        assertEquals("Env must be KEY=VALUE pairs", status.getMessage());
        Initctl.Failure start = assertThrows(Initctl.Failure.class, () -> request("start", "web", "8002"));
        assertEquals(status.getMessage(), start.getMessage());
        assertThrows(Initctl.Failure.class, () -> request("status", "web", "=8002"));
    }

    @Test
    void stopRestartAndReloadCarryTheirValuesToo() {
        for (String command : List.of("stop", "restart", "reload")) {
            assertEquals(List.of("PORT=8001"), request(command, "web", "PORT=8001").get(Protocol.F_ENV), command);
        }
    }

    @Test
    void statusWithoutAJobIsAUsageError() {
        Initctl.UsageException missing = assertThrows(Initctl.UsageException.class, () -> request("status"));
        assertEquals("missing job name", missing.getMessage());
    }

    @Test
    void aBareStatusInsideAJobIsThatJobs() {
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Map<String, String> inJob = Map.of("UPSTART_JOB", "rpcbind", "UPSTART_INSTANCE", "");
        assertEquals("rpcbind", new Initctl("status", inJob, discard, discard).session(new String[0]).request()
                .get(Protocol.F_JOB));
        assertEquals("portmap", new Initctl("status", inJob, discard, discard).session(new String[] {"portmap"})
                .request().get(Protocol.F_JOB));
    }

    @Test
    void aWordThatIsNotAPairExitsOneBeforeAnyDaemonIsAsked() {
        // no socket is set: had the client tried to connect, the message would say so.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int status = new Initctl("status", NO_ENVIRONMENT, discard, new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new String[] {"web", "8002"});
        assertEquals(Initctl.EXIT_FAILURE, status);
        assertEquals("status: Env must be KEY=VALUE pairs\n", err.toString(StandardCharsets.UTF_8));
    }
}
