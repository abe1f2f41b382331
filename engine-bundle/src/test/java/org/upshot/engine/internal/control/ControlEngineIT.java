package org.upshot.engine.internal.control;

import org.upshot.process.internal.HandedDescriptors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.control.Json;
import org.upshot.ctl.Initctl;
import org.upshot.daemon.DaemonSettings.ControlLimits;
import org.upshot.daemon.DaemonSettings;
import org.upshot.engine.internal.config.ConfigurationLoader;
import org.upshot.engine.internal.config.JobFiles;
import org.upshot.engine.internal.job.Engine;
import org.upshot.engine.internal.job.EngineControl;
import org.upshot.engine.internal.job.EngineSettings;
import org.upshot.engine.internal.parse.Diagnostic;
import org.upshot.engine.internal.parse.StanzaLookup;
import org.upshot.event.Event;
import org.upshot.job.JobView;
import org.upshot.process.internal.NativeHost;
import org.upshot.process.internal.PosixProcessLauncher;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.source.SourceContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code initctl} against a real engine running real jobs, through a system-mode control
 * server: every command and output format, instance jobs, environment reaching the
 * process, a job calling {@code initctl} from inside, a job running as {@code nobody}
 * refused every change, and the lines an event source shows under a job. Processes are spawned only by the engine (its reaper runs here).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ControlEngineIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern RUNNING = Pattern.compile("(\\S+(?: \\(\\S+\\))?) start/running, process (\\d+)\\n");

    private Path dir;
    private Path confdir;
    private Path logdir;
    private Path socket;
    private Engine engine;
    private ControlServer server;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Map<String, String> env = new HashMap<>();

    /** What one run of the client printed and returned. */
    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        // Under /tmp with 0755 so that a job running as nobody reaches the socket.
        dir = Files.createTempDirectory(Path.of("/tmp"), "upshot-ctl-it");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        confdir = Files.createDirectories(dir.resolve("conf"));
        logdir = Files.createDirectories(dir.resolve("log"));
        Path runtime = Files.createDirectories(dir.resolve("run"));
        writeJobs();
        Map<String, String> daemonEnv = System.getenv();
        DaemonSettings daemon = DaemonSettings.builder(DaemonSettings.Mode.SESSION, DaemonSettings.Facts.current(),
                dir).runtimeDir(runtime).logDir(logdir).build();
        EngineSettings settings = EngineSettings.of(daemon, daemonEnv, Optional.empty());
        engine = new Engine(new PosixProcessLauncher(), settings, new NativeHost(), new HandedDescriptors());
        ConfigurationLoader loader = new ConfigurationLoader(List.of(confdir), StanzaLookup.NONE);
        EngineControl control = new EngineControl(engine, () -> {
            engine.apply(loader.reload());
            return engine.ask(() -> null);
        }, List::of, () -> loader.problems().stream().map(Diagnostic::render).toList());
        engine.start();
        engine.configure(loader.load().jobs().values());
        engine.ask(() -> null).toCompletableFuture().get(20, TimeUnit.SECONDS);
        control.subscribe(events::add);
        socket = settings.controlSocket();
        server = new ControlServer(socket, true, control, "0.1.0", logdir, false, ControlLimits.DEFAULT, new HandedDescriptors());
        env.put("UPSHOT_SOCKET", socket.toString());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        try {
            engine.stopAll().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } finally {
            engine.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static String clientCommand() {
        String classPath = Initctl.class.getProtectionDomain().getCodeSource().getLocation().getPath() + ":"
                + Json.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        return Path.of(System.getProperty("java.home"), "bin", "java") + " -XX:TieredStopAtLevel=1"
                + " -XX:+UseSerialGC -XX:-UsePerfData -cp " + classPath + " " + Initctl.class.getName();
    }

    private void job(String name, String... lines) throws IOException {
        Files.writeString(confdir.resolve(name + ".conf"), String.join("\n", lines) + "\n");
    }

    private void writeJobs() throws IOException {
        job("sobby", "exec sleep 1000");
        job("getty", "instance $TTY", "exec sleep 1000");
        job("web", "instance $PORT", "usage \"web PORT=N\"", "exec sleep 1000");
        job("quick", "task", "exec true");
        job("chatty", "task", "exec echo hello from chatty");
        job("doomed", "start on doom", "task", "exec false");
        job("watcher", "emits ready", "start on wibble or ready", "stop on stopped beano", "exec sleep 1000");
        job("reloader", "script", "  trap 'echo reloaded' HUP", "  echo trap set", "  while true; do sleep 0.05; done", "end script");
        // A job that drives its own daemon with no flags: UPSHOT_SOCKET is in its environment.
        job("caller", "task", "exec " + clientCommand() + " emit from-job CALLER=$UPSTART_JOB");
        String client = clientCommand();
        job("intruder", "task", "setuid nobody", "script",
                "  " + client + " status sobby || true",
                "  " + client + " start quick || echo \"start exit $?\"",
                "  " + client + " stop sobby || echo \"stop exit $?\"",
                "  " + client + " emit wake || echo \"emit exit $?\"",
                "end script");
    }

    private Run initctl(String program, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Initctl(program, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * The pid in a {@code NAME start/running, process PID} line, checking its form; waits
     * until that process has finished its exec so that /proc shows the job's program.
     */
    private static int runningPid(String name, Run run) throws InterruptedException {
        assertEquals(0, run.status(), run.err());
        Matcher matcher = RUNNING.matcher(run.out());
        assertTrue(matcher.matches(), run.out());
        assertEquals(name, matcher.group(1));
        int pid = Integer.parseInt(matcher.group(2));
        Await.until("process " + pid + " to exec", () -> !readQuietly(pid, "environ").isEmpty()
                && !readQuietly(pid, "cmdline").startsWith(Path.of(System.getProperty("java.home")).toString()),
                TIMEOUT);
        return pid;
    }

    private static String proc(int pid, String file) throws IOException {
        return Files.readString(Path.of("/proc/" + pid + "/" + file));
    }

    private static List<String> environ(int pid) throws IOException {
        return List.of(proc(pid, "environ").split("\0"));
    }

    @Test
    void serviceStartStatusStopReadAsUpstart() throws Exception {
        int pid = runningPid("sobby", initctl("start", "sobby"));
        assertTrue(proc(pid, "cmdline").startsWith("sleep\0" + "1000"));
        assertEquals(pid, runningPid("sobby", initctl("status", "sobby")));
        assertEquals(new Run(1, "", "start: Job is already running: sobby\n"), initctl("start", "sobby"));
        assertEquals(new Run(0, "sobby stop/waiting\n", ""), initctl("stop", "sobby"));
        Await.until("sleep to exit", () -> !Files.exists(Path.of("/proc/" + pid + "/cmdline"))
                || readQuietly(pid, "cmdline").isEmpty(), TIMEOUT);
        assertEquals(new Run(0, "sobby stop/waiting\n", ""), initctl("initctl", "status", "sobby"));
        assertEquals(new Run(1, "", "stop: Unknown instance: sobby\n"), initctl("stop", "sobby"));
        assertEquals(new Run(1, "", "start: Unknown job: nosuch\n"), initctl("start", "nosuch"));
    }

    private static String readQuietly(int pid, String file) {
        try {
            return proc(pid, file);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void instanceJobsAndEnvironmentReachTheProcess() throws Exception {
        int tty1 = runningPid("getty (tty1)", initctl("start", "getty", "TTY=tty1", "EXTRA=from start"));
        List<String> environ = environ(tty1);
        assertTrue(environ.contains("TTY=tty1"), environ.toString());
        assertTrue(environ.contains("EXTRA=from start"), environ.toString());
        assertTrue(environ.contains("UPSTART_JOB=getty"), environ.toString());
        assertTrue(environ.contains("UPSTART_INSTANCE=tty1"), environ.toString());
        assertTrue(environ.contains("UPSHOT_SOCKET=" + socket), environ.toString());
        int tty2 = runningPid("getty (tty2)", initctl("start", "getty", "TTY=tty2"));
        assertEquals(new Run(1, "", "start: Job is already running: getty (tty1)\n"),
                initctl("start", "getty", "TTY=tty1"));
        assertEquals(new Run(0, "getty (tty1) start/running, process " + tty1 + "\n"
                + "getty (tty2) start/running, process " + tty2 + "\n", ""), initctl("status", "getty"));
        String list = initctl("initctl", "list").out();
        assertTrue(list.contains("getty (tty2) start/running, process " + tty2 + "\n"), list);
        assertTrue(list.contains("sobby stop/waiting\n"), list);
        assertEquals(new Run(1, "", "stop: Unknown instance: getty (tty9)\n"), initctl("stop", "getty", "TTY=tty9"));
        assertEquals(new Run(0, "getty (tty2) stop/waiting\n", ""), initctl("stop", "getty", "TTY=tty2"));
    }

    @Test
    void valuesNameTheInstanceThatStatusStopRestartAndReloadActOn() throws Exception {
        // web has "instance $PORT": two instances; the values pick one through the stanza,
        // the other is left alone; a value the stanza does not use changes nothing.
        int port8001 = runningPid("web (8001)", initctl("start", "web", "PORT=8001"));
        int port8002 = runningPid("web (8002)", initctl("start", "web", "PORT=8002"));
        assertEquals(new Run(0, "web (8002) start/running, process " + port8002 + "\n", ""),
                initctl("status", "web", "PORT=8002"));
        assertEquals(new Run(0, "web (8001) start/running, process " + port8001 + "\n", ""),
                initctl("initctl", "status", "web", "HOST=any", "PORT=8001"));
        assertEquals(new Run(1, "", "status: Unknown instance: web (8003)\n"), initctl("status", "web", "PORT=8003"));
        assertEquals(new Run(1, "", "status: Unknown parameter: PORT\nUsage: web PORT=N\n"),
                initctl("status", "web", "HOST=any"));
        assertEquals(new Run(1, "", "stop: Unknown parameter: PORT\nUsage: web PORT=N\n"),
                initctl("stop", "web", "HOST=any"));
        assertEquals(new Run(1, "", "restart: Unknown instance: web (8003)\n"), initctl("restart", "web", "PORT=8003"));
        assertEquals(new Run(1, "", "reload: Unknown instance: web (8003)\n"), initctl("reload", "web", "PORT=8003"));

        int restarted = runningPid("web (8002)", initctl("restart", "web", "PORT=8002"));
        assertNotEquals(port8002, restarted);
        assertEquals(new Run(0, "web (8001) stop/waiting\n", ""), initctl("stop", "web", "PORT=8001"));
        assertEquals(new Run(0, "web (8002) start/running, process " + restarted + "\n", ""), initctl("status", "web"));
        assertEquals(new Run(1, "", "status: Unknown instance: web (8001)\n"), initctl("status", "web", "PORT=8001"));

        // --json: the job object, holding only the instance named.
        int port8004 = runningPid("web (8004)", initctl("start", "web", "PORT=8004"));
        Run json = initctl("initctl", "--json", "status", "web", "PORT=8004");
        assertEquals(0, json.status(), json.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> job = (Map<String, Object>) Json.parseObject(json.out().trim()).get("job");
        assertEquals("web", job.get("name"));
        assertEquals("[{job=web, instance=8004, goal=start, state=running, processes=[{process=main, pid=" + port8004
                + "}]}]", job.get("instances").toString());
        assertEquals(List.of(), job.get("notes"));
    }

    @Test
    void aSingletonGivenValuesIsItsOneInstanceAndUnknownWhenStopped() throws Exception {
        // Its instance stanza is empty, so values name "" whatever they are; stopped, there is
        // no such instance (Upstart's status with values), where without values it is stop/waiting.
        int pid = runningPid("sobby", initctl("start", "sobby"));
        assertEquals(pid, runningPid("sobby", initctl("status", "sobby", "PORT=8002")));
        assertEquals(new Run(0, "sobby stop/waiting\n", ""), initctl("stop", "sobby", "PORT=8002"));
        assertEquals(new Run(1, "", "status: Unknown instance: sobby\n"), initctl("status", "sobby", "PORT=8002"));
        assertEquals(new Run(0, "sobby stop/waiting\n", ""), initctl("status", "sobby"));
    }

    @Test
    void tasksRunToTheEndAndRestartReloadWork() throws Exception {
        assertEquals(new Run(0, "quick stop/waiting\n", ""), initctl("start", "quick"));
        int first = runningPid("sobby", initctl("start", "sobby"));
        int second = runningPid("sobby", initctl("restart", "sobby"));
        assertNotEquals(first, second);
        runningPid("reloader", initctl("start", "reloader"));
        Await.until("the HUP trap to be set", () -> log("reloader").contains("trap set"), TIMEOUT);
        assertEquals(new Run(0, "", ""), initctl("reload", "reloader"));
        Await.until("the HUP trap", () -> log("reloader").contains("reloaded"), TIMEOUT);
        assertEquals(new Run(1, "", "reload: Job is not running: quick\n").status(), initctl("reload", "quick").status());
        Run noWait = initctl("stop", "-n", "sobby");
        assertEquals(0, noWait.status(), noWait.err());
    }

    private String log(String job) {
        try {
            return Files.readString(logdir.resolve(job + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void emitWaitsAndReportsAFailedJob() {
        assertEquals(new Run(1, "", "emit: Event failed\n"), initctl("emit", "doom"));
        assertEquals(new Run(0, "", ""), initctl("emit", "calm", "A=1", "B=2"));
        assertTrue(events.contains(Event.of("calm", "A=1", "B=2")), events.toString());
    }

    @Test
    void aJobCallsInitctlWithNoFlagsThroughItsEnvironment() {
        assertEquals(new Run(0, "caller stop/waiting\n", ""), initctl("start", "caller"));
        assertTrue(events.contains(Event.of("from-job", "CALLER=caller")), events + "\nlog: " + log("caller"));
    }

    @Test
    void nobodyMayReadButIsRefusedEveryChange() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            System.out.println("nobodyMayReadButIsRefusedEveryChange skipped: setuid needs root");
        }
        Assumptions.assumeTrue(root, "setuid needs root");
        int sobby = runningPid("sobby", initctl("start", "sobby"));
        assertEquals(new Run(0, "intruder stop/waiting\n", ""), initctl("start", "intruder"));
        assertEquals("sobby start/running, process " + sobby + "\n"
                + "initctl: Permission denied\nstart exit 1\n"
                + "initctl: Permission denied\nstop exit 1\n"
                + "initctl: Permission denied\nemit exit 1\n", log("intruder"));
        assertEquals(sobby, runningPid("sobby", initctl("status", "sobby")));
        assertTrue(events.stream().noneMatch(e -> e.name().equals("wake")), events.toString());
        assertTrue(events.stream().noneMatch(e -> e.get("JOB").orElse("").equals("quick")), events.toString());
    }

    @Test
    void eventsAreFollowedLive() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int[] status = {-1};
        Thread follower = new Thread(() -> status[0] = new Initctl("initctl", env, print, print).run(new String[] {"events"}));
        follower.start();
        // Emitting until one shows up: the subscription starts asynchronously.
        Await.until("an event in the stream", () -> {
            initctl("emit", "ping", "N=1");
            return out.toString(StandardCharsets.UTF_8).contains("ping N=1\n");
        }, TIMEOUT);
        initctl("start", "quick");
        Await.until("job events in the stream", () -> out.toString(StandardCharsets.UTF_8)
                .contains("stopped JOB=quick INSTANCE= RESULT=ok\n"), TIMEOUT);
        server.close();
        follower.join(TIMEOUT.toMillis());
        assertEquals(0, status[0]);
    }

    @Test
    void environmentFamilyActsOnTheGlobalTable() throws Exception {
        assertEquals(new Run(0, "", ""), initctl("initctl", "set-env", "-g", "COLOUR=blue sky"));
        assertEquals(new Run(0, "blue sky\n", ""), initctl("initctl", "get-env", "-g", "COLOUR"));
        assertTrue(initctl("initctl", "list-env", "-g").out().contains("COLOUR=blue sky\n"));
        int pid = runningPid("sobby", initctl("start", "sobby"));
        assertTrue(environ(pid).contains("COLOUR=blue sky"), environ(pid).toString());
        assertEquals(new Run(0, "", ""), initctl("initctl", "unset-env", "-g", "COLOUR"));
        assertEquals(new Run(1, "", "initctl: No such variable: COLOUR\n"), initctl("initctl", "get-env", "-g", "COLOUR"));
        assertEquals(new Run(0, "", ""), initctl("initctl", "reset-env", "-g"));
    }

    @Test
    void checkConfigListsEveryJobFileThatDoesNotLoadAndTheWatcherLivesOn() throws Exception {
        Files.writeString(confdir.resolve("bad.conf"), "frobnicate\n");
        Files.createSymbolicLink(confdir.resolve("zero.conf"), Path.of("/dev/zero"));
        Files.write(confdir.resolve("huge.conf"), new byte[JobFiles.MAX_BYTES + 1]);
        Files.write(confdir.resolve("binary.conf"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 3, 0, '>', 0, 1});
        assertEquals(new Run(0, "", ""), initctl("initctl", "reload-configuration"));
        Run check = initctl("initctl", "check-config");
        assertEquals(1, check.status());
        assertTrue(check.out().startsWith(confdir.resolve("bad.conf") + ":1:1: unknown stanza 'frobnicate'\n"
                + confdir.resolve("binary.conf") + ":1:1: unknown stanza '\\x7fELF\\x02\\x01\\x01\\x00\\x03\\x00>"
                + "\\x00\\x01'\n"
                + confdir.resolve("huge.conf") + ":1:1: too large (1048577 bytes, limit 1048576 bytes)\n"
                + confdir.resolve("zero.conf") + ":1:1: not a job file: a device, pipe or socket\n"), check.out());
        // and later files are still seen
        job("afterwards", "exec sleep 1000");
        assertEquals(new Run(0, "", ""), initctl("initctl", "reload-configuration"));
        assertEquals(new Run(0, "afterwards stop/waiting\n", ""), initctl("status", "afterwards"));
    }

    @Test
    void configurationCommands() throws Exception {
        assertEquals(new Run(0, "watcher\n  emits ready\n  start on (wibble or ready)\n  stop on stopped beano\n", ""),
                initctl("initctl", "show-config", "watcher"));
        assertEquals(new Run(0, "watcher\n  emits ready\n  start on wibble (job:, env:)\n  start on ready (job:, env:)\n"
                + "  stop on stopped (job: beano, env:)\n", ""), initctl("initctl", "show-config", "-e", "watcher"));
        assertEquals(new Run(1, "watcher\n  start on: unknown event wibble\n  stop on: unknown job beano\n", ""),
                initctl("initctl", "check-config", "watcher"));
        assertEquals(new Run(1, "watcher\n  stop on: unknown job beano\n", ""),
                initctl("initctl", "check-config", "--ignore-events=wibble", "watcher"));
        assertEquals(new Run(0, "", ""), initctl("initctl", "check-config", "sobby"));
        job("newcomer", "exec sleep 1000");
        assertEquals(1, initctl("status", "newcomer").status());
        assertEquals(new Run(0, "", ""), initctl("initctl", "reload-configuration"));
        assertEquals(new Run(0, "newcomer stop/waiting\n", ""), initctl("status", "newcomer"));
    }

    @Test
    void logVersionPriorityAndJson() throws Exception {
        initctl("start", "chatty");
        assertEquals(new Run(0, "hello from chatty\n", ""), initctl("initctl", "log", "chatty"));
        assertEquals(new Run(0, "init (upshot 0.1.0)\n", ""), initctl("initctl", "version"));
        assertEquals(new Run(0, "message\n", ""), initctl("initctl", "log-priority"));
        Run json = initctl("start", "--json", "sobby");
        assertEquals(0, json.status());
        Map<String, Object> reply = Json.parseObject(json.out().trim());
        @SuppressWarnings("unchecked")
        Map<String, Object> instance = (Map<String, Object>) reply.get("instance");
        assertEquals("running", instance.get("state"));
        assertEquals("start", instance.get("goal"));
    }

    /** A source bound to the engine that hands its context to the test. */
    private static final class DescribingSource implements EventSource {
        final CompletableFuture<SourceContext> context = new CompletableFuture<>();

        @Override
        public void start(SourceContext started) {
            context.complete(started);
        }

        @Override
        public void jobsChanged(Collection<JobView> jobs) {
        }

        @Override
        public void stop() {
        }
    }

    /** {@code job}'s notes in the reply to {@code initctl --json COMMAND...}: a status or a list. */
    @SuppressWarnings("unchecked")
    private List<Object> jsonNotes(String job, String... command) {
        Run run = initctl("initctl", Stream.concat(Stream.of("--json"), Stream.of(command)).toArray(String[]::new));
        assertEquals(0, run.status(), run.err());
        Map<String, Object> reply = Json.parseObject(run.out().trim());
        List<Object> jobs = reply.containsKey("jobs") ? (List<Object>) reply.get("jobs") : List.of(reply.get("job"));
        for (Object listed : jobs) {
            Map<String, Object> json = (Map<String, Object>) listed;
            if (json.get("name").equals(job)) {
                return (List<Object>) json.get("notes");
            }
        }
        throw new AssertionError(job + " is not in " + run.out());
    }

    @Test
    void aSourcesLinesShowUnderItsJobUntilTheJobOrTheSourceGoes() throws Exception {
        // sobby shows what the source said after its status line, in status, list and
        // --json; removed and loaded again, quick starts with none; once the source is
        // unbound, sobby shows none either.
        DescribingSource source = new DescribingSource();
        engine.bindSource(source, "socket", "org.example.socket");
        SourceContext context = source.context.get(20, TimeUnit.SECONDS);
        List<String> sobbyLines = List.of("listening tcp 127.0.0.1:8080", "paused: over 10 triggers in 1 s");
        context.describe("sobby", sobbyLines);
        context.describe("quick", List.of("listening unix /run/quick.sock"));
        context.describe("nosuch", List.of("not a job"));
        assertEquals(sobbyLines, jsonNotes("sobby", "status", "sobby"));
        assertEquals(sobbyLines, jsonNotes("sobby", "list"));
        assertEquals(List.of("listening unix /run/quick.sock"), jsonNotes("quick", "status", "quick"));
        assertEquals(List.of(), jsonNotes("getty", "list"), "always present");
        String sobbyNotes = "\tlistening tcp 127.0.0.1:8080\n\tpaused: over 10 triggers in 1 s\n";
        assertEquals(new Run(0, "sobby stop/waiting\n" + sobbyNotes, ""), initctl("status", "sobby"));
        int pid = runningPid("sobby", initctl("start", "sobby"));
        assertEquals(new Run(0, "sobby start/running, process " + pid + "\n" + sobbyNotes, ""),
                initctl("status", "sobby"));
        String list = initctl("initctl", "list").out();
        assertTrue(list.contains("sobby start/running, process " + pid + "\n" + sobbyNotes + "watcher stop/waiting\n"),
                list);
        context.describe("web", List.of("listening tcp 127.0.0.1:8002"));
        int web = runningPid("web (8002)", initctl("start", "web", "PORT=8002"));
        runningPid("web (8001)", initctl("start", "web", "PORT=8001"));
        assertEquals(new Run(0, "web (8002) start/running, process " + web + "\n\tlistening tcp 127.0.0.1:8002\n", ""),
                initctl("status", "web", "PORT=8002"));
        assertEquals(List.of("listening tcp 127.0.0.1:8002"), jsonNotes("web", "status", "web", "PORT=8002"));

        Path quickFile = confdir.resolve("quick.conf");
        String quickJob = Files.readString(quickFile);
        Files.delete(quickFile);
        assertEquals(new Run(0, "", ""), initctl("initctl", "reload-configuration"));
        Files.writeString(quickFile, quickJob);
        assertEquals(new Run(0, "", ""), initctl("initctl", "reload-configuration"));
        assertEquals(new Run(0, "quick stop/waiting\n", ""), initctl("status", "quick"));

        engine.unbindSource(source);
        assertEquals(List.of(), jsonNotes("sobby", "status", "sobby"));
    }
}
