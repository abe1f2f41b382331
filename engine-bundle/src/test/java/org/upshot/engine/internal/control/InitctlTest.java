package org.upshot.engine.internal.control;

import org.upshot.process.internal.HandedDescriptors;

import org.upshot.daemon.DaemonSettings.ControlLimits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.control.Json;
import org.upshot.ctl.Initctl;
import org.upshot.event.Event;

/**
 * The real {@code initctl} client, run in-process, against the real server with the
 * canned engine: command lines, output formats, exit codes, socket discovery.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InitctlTest {

    @TempDir
    Path dir;

    private final FakeJobControl engine = new FakeJobControl();
    private ControlServer server;
    private final Map<String, String> env = new HashMap<>();

    /** What one run printed and returned. */
    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void start() throws IOException {
        Path socket = dir.resolve("control.sock");
        server = new ControlServer(socket, false, engine, "0.1.0", dir.resolve("log"), false,
                ControlLimits.DEFAULT, new HandedDescriptors());
        env.put("UPSHOT_SOCKET", socket.toString());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run run(String program, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Initctl(program, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void statusLinesReadAsUpstartsDid() {
        assertEquals(new Run(0, "sobby start/running, process 14977\n", ""), run("initctl", "status", "sobby"));
        assertEquals(new Run(0, "getty (tty1) start/running, process 4152\n", ""), run("status", "getty"));
        assertEquals(new Run(0, "foo stop/waiting\n", ""), run("status", "foo"));
        assertEquals(new Run(0, "drogo (foo) stop/pre-stop, process 6312\n\tpre-stop process 8609\n", ""),
                run("status", "drogo"));
    }

    @Test
    void listShowsEveryJob() {
        assertEquals(new Run(0, "drogo (foo) stop/pre-stop, process 6312\n\tpre-stop process 8609\n"
                + "foo stop/waiting\ngetty (tty1) start/running, process 4152\n"
                + "sobby start/running, process 14977\n", ""), run("initctl", "list"));
    }

    @Test
    void errorsGoToStderrAfterTheNameCalledBy() {
        assertEquals(new Run(1, "", "start: Job is already running: sobby\n"), run("start", "sobby"));
        assertEquals(new Run(1, "", "start: Unknown job: nosuch\n"), run("start", "nosuch"));
        assertEquals(new Run(1, "", "initctl: Unknown job: nosuch\n"), run("initctl", "start", "nosuch"));
        assertEquals(new Run(1, "", "emit: Event failed\n"), run("emit", "doomed"));
        assertEquals(new Run(1, "", "start: Env must be KEY=VALUE pairs\n"), run("start", "foo", "NOPE"));
    }

    @Test
    void startPrintsTheNewStatus() {
        assertEquals(new Run(0, "foo start/running, process 1234\n", ""), run("start", "foo", "A=1"));
        assertEquals(new Run(0, "", ""), run("start", "-q", "foo"));
    }

    @Test
    void usageErrorsExitTwoWithAHint() {
        assertEquals(new Run(2, "", "start: missing job name\nTry `start --help' for more information.\n"),
                run("start"));
        assertEquals(new Run(2, "", "emit: missing event name\nTry `emit --help' for more information.\n"),
                run("emit"));
        assertEquals(2, run("initctl", "fly").status());
        assertEquals(2, run("initctl").status());
        assertEquals(2, run("initctl", "--bogus", "list").status());
        assertEquals(0, run("initctl", "--help").status());
        assertEquals(0, engine.mutations.get(), "a usage error reached the daemon");
    }

    @Test
    void emitSendsTheEventWithItsEnvironmentInOrder() {
        assertEquals(new Run(0, "", ""), run("emit", "interface-up", "IFACE=eth0", "ADDR=10.0.0.1"));
        assertEquals(Event.of("interface-up", "IFACE=eth0", "ADDR=10.0.0.1"), engine.emitted.get(0));
    }

    @Test
    void jsonPrintsOneDocument() {
        Run run = run("initctl", "--json", "status", "sobby");
        assertEquals(0, run.status());
        Map<String, Object> reply = Json.parseObject(run.out().trim());
        assertEquals(Boolean.TRUE, reply.get("ok"));
        Run failed = run("start", "--json", "nosuch");
        assertEquals(1, failed.status());
        assertEquals("UNKNOWN_JOB", Json.parseObject(failed.out().trim()).get("code"));
    }

    @Test
    void sourcesShowsEachSourcesStateAndCounters() {
        assertEquals(new Run(0, "files running, 3 events, 0 dropped (limit 2000/s, burst 20000) "
                + "[org.upshot.source.files]\n", ""), run("initctl", "sources"));
        assertEquals(new Run(2, "", "initctl: unexpected argument: files\nTry `initctl --help' for more information.\n"),
                run("initctl", "sources", "files"));
    }

    @Test
    void versionAndLogPriority() {
        assertEquals(new Run(0, "init (upshot 0.1.0)\n", ""), run("initctl", "version"));
        assertEquals(new Run(0, "message\n", ""), run("initctl", "log-priority"));
        assertEquals(new Run(0, "", ""), run("initctl", "log-priority", "warn"));
        assertEquals(new Run(0, "warn\n", ""), run("initctl", "log-priority"));
        assertEquals(new Run(1, "", "initctl: Unknown priority: loud\n"), run("initctl", "log-priority", "loud"));
        assertEquals(new Run(0, "", ""), run("initctl", "log-priority", "message"));
    }

    @Test
    void environmentFamily() {
        assertEquals(new Run(0, "PATH=/usr/bin:/bin\nTERM=linux\n", ""), run("initctl", "list-env"));
        assertEquals(2, run("initctl", "get-env").status());
        assertEquals(0, run("initctl", "set-env", "FOO=bar").status());
    }

    @Test
    void logPrintsTheJobsLogFile() throws IOException {
        Files.createDirectories(dir.resolve("log"));
        Files.writeString(dir.resolve("log/getty-tty1.log"), "login: \r\n");
        assertEquals(new Run(0, "login: \r\n", ""), run("initctl", "log", "getty", "tty1"));
        Run missing = run("initctl", "log", "sobby");
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("initctl: No log for this job: "), missing.err());
    }

    @Test
    void logFollowPrintsWhatIsAppendedUntilInterrupted() throws Exception {
        Path log = Files.createDirectories(dir.resolve("log")).resolve("sobby.log");
        Files.writeString(log, "one\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Thread follower = new Thread(() -> new Initctl("initctl", env, print, print)
                .run(new String[] {"log", "-f", "sobby"}));
        follower.start();
        Await.until("the first line", () -> out.toString(StandardCharsets.UTF_8).equals("one\n"),
                java.time.Duration.ofSeconds(10));
        Files.writeString(log, "two\n", java.nio.file.StandardOpenOption.APPEND);
        Await.until("the appended line", () -> out.toString(StandardCharsets.UTF_8).equals("one\ntwo\n"),
                java.time.Duration.ofSeconds(10));
        follower.interrupt();
        follower.join(10_000);
        assertTrue(!follower.isAlive(), "log -f did not stop on interrupt");
    }

    @Test
    void socketOptionBeatsTheEnvironmentAndAMissingDaemonIsAFailure() {
        Run run = run("initctl", "--socket", dir.resolve("nothing.sock").toString(), "list");
        assertEquals(1, run.status());
        assertTrue(run.err().startsWith("initctl: Unable to connect to Upshot at " + dir.resolve("nothing.sock")),
                run.err());
    }

    @Test
    void eventsJsonPrintsEachEventLineAsTheDaemonSentIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Thread follower = new Thread(() -> new Initctl("initctl", env, print, print)
                .run(new String[] {"events", "--json"}));
        follower.start();
        Await.until("the follower subscribed", () -> !engine.subscribers.isEmpty(), java.time.Duration.ofSeconds(10));
        engine.publish(Event.of("interface-up", "IFACE=eth0"));
        String line = "{\"v\":1,\"event\":{\"name\":\"interface-up\",\"env\":[\"IFACE=eth0\"]}}\n";
        Await.until("the event line", () -> out.toString(StandardCharsets.UTF_8).equals(line),
                java.time.Duration.ofSeconds(10));
        server.close();
        follower.join(10_000);
        assertTrue(!follower.isAlive(), "events --json did not end with the daemon");
        assertEquals(line, out.toString(StandardCharsets.UTF_8), "no reply line, nothing re-encoded");
    }

    @Test
    void graphDrawsEveryJobAsABoxColouredByItsState() {
        Run run = run("initctl", "graph");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("digraph upshot {\n"), run.out());
        assertTrue(run.out().contains("\"job:sobby\" [label=\"sobby\\nrunning\", shape=box, style=\"rounded,filled\", "
                + "fillcolor=\"#9be39b\"]"), run.out());
        assertTrue(run.out().contains("\"job:foo\" [label=\"foo\\nwaiting\""), run.out());
        Run one = run("initctl", "graph", "foo");
        assertTrue(!one.out().contains("sobby"), one.out());
        Run unknown = run("initctl", "graph", "nosuch");
        assertEquals(new Run(1, "", "initctl: Unknown job: nosuch\n"), unknown);
    }
}
