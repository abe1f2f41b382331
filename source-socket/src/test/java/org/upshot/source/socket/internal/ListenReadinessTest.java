package org.upshot.source.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.job.InstanceRef;
import org.upshot.spi.stanza.ReadinessTarget;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput;
import org.upshot.testkit.Await;

/** expect listen on real processes that listen late (python, started by the test). */
class ListenReadinessTest {

    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor();
    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        // the python servers are the shells' children: end them too, or they outlive the test
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        checks.shutdownNow();
    }

    private ListenReadiness readiness(String... words) throws StanzaException {
        List<StanzaInput.Word> arguments = new ArrayList<>();
        for (String word : words) {
            arguments.add(new StanzaInput.Word(word, 1, 15));
        }
        return ListenReadiness.parse(new StanzaInput("web", ListenReadiness.KEYWORD, arguments, 1, 1), checks);
    }

    /** A shell whose python child (a descendant, as a script's daemon is) listens after a while. */
    private ReadinessTarget serverListeningLater(String python) throws IOException {
        Process shell = new ProcessBuilder("sh", "-c", "python3 -c '" + python + "'").start();
        processes.add(shell);
        return new ReadinessTarget(new InstanceRef("web", ""), (int) shell.pid());
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    @Test
    void readyOnceADescendantListensOnTheNamedPort() throws Exception {
        int port = freePort();
        ReadinessTarget target = serverListeningLater("import socket, time\n"
                + "time.sleep(0.5)\ns = socket.socket()\ns.bind((\"127.0.0.1\", " + port + "))\ns.listen()\n"
                + "time.sleep(1000)");
        long asked = System.nanoTime();
        CompletableFuture<Integer> ready = readiness(Integer.toString(port)).await(target).toCompletableFuture();
        assertEquals(target.pid(), ready.get(10, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - asked >= 400_000_000L, "not before the server listened");
    }

    @Test
    void aListenerOnAnotherPortOrPathIsNotEnough() throws Exception {
        int port = freePort();
        Path node = dir.resolve("app.sock");
        ReadinessTarget target = serverListeningLater("import socket, time\n"
                + "s = socket.socket()\ns.bind((\"127.0.0.1\", " + port + "))\ns.listen()\ntime.sleep(1000)");
        ListenReadiness both = readiness(Integer.toString(port), node.toString());
        CompletableFuture<Integer> ready = both.await(target).toCompletableFuture();
        Await.stays(java.time.Duration.ofMillis(800), () -> !ready.isDone(), () -> "ready without " + node);
        assertTrue(readiness().listening(target.pid()), "any listener will do when none is named");
        both.abandon(target);
    }

    @Test
    void aUnixSocketPathCounts() throws Exception {
        Path node = dir.resolve("app.sock");
        ReadinessTarget target = serverListeningLater("import socket, time\n"
                + "s = socket.socket(socket.AF_UNIX)\ns.bind(\"" + node + "\")\ns.listen()\ntime.sleep(1000)");
        assertEquals(target.pid(), readiness(node.toString()).await(target).toCompletableFuture()
                .get(10, TimeUnit.SECONDS));
    }

    @Test
    void wordsThatAreNeitherPortsNorPathsAreRefused() {
        StanzaException e = assertThrows(StanzaException.class, () -> readiness("http"));
        assertTrue(e.getMessage().contains("expected a port (1-65535) or a unix socket path, not 'http'"));
        assertThrows(StanzaException.class, () -> readiness("70000"));
        assertFalse(readiness_equalsDiffer());
    }

    private boolean readiness_equalsDiffer() {
        try {
            return !readiness("80").equals(readiness("80"));
        } catch (StanzaException e) {
            throw new AssertionError(e);
        }
    }
}
