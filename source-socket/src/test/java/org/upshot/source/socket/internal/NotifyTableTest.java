package org.upshot.source.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobView;
import org.upshot.spi.stanza.ReadinessTarget;
import org.upshot.testkit.Await;
import org.upshot.testkit.RecordingEmitter;
import org.upshot.testkit.TestSourceContext;

/** The notify socket on its own: real datagrams from a real sender, the engine played by the test. */
@Timeout(30)
class NotifyTableTest {

    private static final InstanceRef SVC = new InstanceRef("svc", "");

    @TempDir
    Path dir;

    private final NotifyTable table = new NotifyTable();
    private TestSourceContext engine;
    private Process sender;

    @BeforeEach
    void open() {
        table.open(dir.resolve("notify.sock"));
        engine = TestSourceContext.of(new RecordingEmitter(), dir);
        table.attach(engine);
    }

    @AfterEach
    void close() {
        if (sender != null) {
            sender.destroyForcibly();
        }
        table.close();
    }

    /** A python process that sends {@code message} when told to, once the test knows its pid. */
    private Process sender(String message) throws IOException {
        sender = new ProcessBuilder("python3", "-c", """
                import socket, sys
                sys.stdin.readline()
                s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                s.sendto(sys.argv[2].encode(), sys.argv[1])
                sys.stdin.readline()
                """, table.socketPath(), message).start();
        return sender;
    }

    private static void tell(Process process) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write("\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    @Test
    void readyFromTheMainProcessAnswersThePidItNamed() throws Exception {
        Process main = sender("MAINPID=" + ProcessHandle.current().pid() + "\nREADY=1\nSTATUS=up");
        engine.own(main.pid(), SVC);
        engine.own(ProcessHandle.current().pid(), SVC);
        CompletableFuture<Integer> ready = table.awaitReady(new ReadinessTarget(SVC, (int) main.pid()))
                .toCompletableFuture();
        table.jobsChanged(List.of(job(Map.of())));
        tell(main);
        assertEquals((int) ProcessHandle.current().pid(), ready.get(10, TimeUnit.SECONDS));
        engine.awaitDescription("svc", lines -> lines.equals(List.of("status: up")), Duration.ofSeconds(10));
    }

    @Test
    void aDaemonThatSaysReadyBeforeItIsAskedAfterIsHeard() throws Exception {
        // sshd can send READY=1 before the engine, just back from spawning it, asks
        Process main = sender("READY=1");
        engine.own(main.pid(), SVC);
        table.jobsChanged(List.of(job(Map.of())));
        tell(main);
        tell(main); // the sender reads a second line only after its sendto returned
        main.getOutputStream().close();
        assertEquals(0, main.waitFor());
        Await.until(Duration.ofSeconds(5), () -> table.heldFor(SVC) == 1, () -> "the datagram was read and held");
        CompletableFuture<Integer> ready = table.awaitReady(new ReadinessTarget(SVC, (int) main.pid()))
                .toCompletableFuture();
        assertEquals((int) main.pid(), ready.get(10, TimeUnit.SECONDS));
    }

    @Test
    void anotherProcessIsRefusedUnlessNotifyAccessIsAll() throws Exception {
        Process other = sender("READY=1");
        engine.own(other.pid(), SVC);
        CompletableFuture<Integer> ready = table.awaitReady(new ReadinessTarget(SVC, 1)).toCompletableFuture();
        table.jobsChanged(List.of(job(Map.of())));
        tell(other);
        engine.awaitDescription("svc", lines -> lines.equals(
                List.of("notify: 1 message(s) refused: not from the main process")), Duration.ofSeconds(10));
        assertFalse(ready.isDone());
    }

    @Test
    void aMissedWatchdogAbortsTheMainProcessOnce() throws Exception {
        Process main = sender("WATCHDOG=1");
        engine.own(main.pid(), SVC);
        table.jobsChanged(List.of(job(Map.of("watchdog", List.of(List.of("400ms"))))));
        table.instanceChanged(new InstanceChange(SVC, InstanceChange.Phase.STARTED, Optional.empty()));
        tell(main);
        String abort = "abort svc " + main.pid() + " watchdog";
        Await.until(Duration.ofSeconds(10), () -> engine.reports().contains(abort), () -> "reports " + engine.reports());
        assertEquals(List.of(abort), engine.reports(), "one abort, however late the ping was");
    }

    private static JobView job(Map<String, List<List<String>>> stanzas) {
        return new JobView("svc", Path.of("svc.conf"), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), stanzas, List.of());
    }
}
