package org.upshot.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.upshot.control.Command;
import org.upshot.control.Json;
import org.upshot.control.Protocol;
import org.upshot.spi.source.PluginDeclaration;

/**
 * The assembled distribution's daemon ({@code bin/upshot --session --debug}) running as a
 * child of the test JVM over a work directory of the test's, with only the plugin jars
 * the test names, watched through its log and driven through its control socket.
 *
 * <p>The distribution is found through the system property {@value #DISTRO_PROPERTY}
 * (Maven's failsafe sets it). The work directory holds {@code plugins/}, {@code conf/}
 * (job files), {@code run/} (the control socket), {@code log/} (job logs),
 * {@code removed/} (plugins taken out by {@link #removePlugin}) and {@code upshot.log},
 * everything the daemon writes. The daemon runs with default signal dispositions and the
 * test JVM's {@code java}; JVM options go through {@code UPSHOT_JAVA_OPTS}; its environment
 * is the test JVM's, with what {@link Builder#environment} sets.
 *
 * <p>Jobs are observed through {@link #list}, which shows every job the engine holds. Every
 * wait polls with {@link #WAIT} as its timeout and fails with the daemon's log.
 * Not thread-safe: one test thread drives it. {@link #close} stops the daemon (and so its
 * jobs) with SIGTERM and kills it if it does not exit. A module may subclass it for what
 * only its own tests need.
 */
public class BootedDaemon implements AutoCloseable {
    /** The system property naming the unpacked distribution ({@code distro/target/upshot-VERSION}). */
    public static final String DISTRO_PROPERTY = "upshot.distro.dir";
    /** How long any wait of this class lasts before it fails. */
    public static final Duration WAIT = Duration.ofSeconds(30);
    /** What the daemon logs once its framework, core bundles and plugins have started. */
    public static final String BOOTED = "started in (session|system) mode";

    private static final int LOG_TAIL_CHARS = 30_000;
    private static final AtomicLong REQUEST_IDS = new AtomicLong();

    private final Path workDir;
    private final Path pluginDir;
    private final Path confDir;
    private final Path runtimeDir;
    private final Path logDir;
    private final Path output;
    private final Process process;
    private final boolean launched;

    /** Starts the daemon {@code builder} describes; see {@link Builder#start()}. */
    protected BootedDaemon(Builder builder) throws IOException {
        workDir = builder.workDir;
        pluginDir = Files.createDirectories(workDir.resolve("plugins"));
        confDir = Files.createDirectories(workDir.resolve("conf"));
        runtimeDir = workDir.resolve("run");
        logDir = workDir.resolve("log");
        output = workDir.resolve("upshot.log");
        for (Path jar : builder.plugins) {
            Files.copy(jar, pluginDir.resolve(jar.getFileName()));
        }
        for (Map.Entry<String, String> job : builder.jobs.entrySet()) {
            job(job.getKey(), job.getValue());
        }
        // A signal inherited as ignored (a CI runner's background job) would make the
        // daemon's handlers never fire: start it with every disposition at default.
        List<String> command = new ArrayList<>(List.of("env", "--default-signal"));
        command.addAll(builder.launcher);
        command.addAll(List.of(distro().resolve("bin/upshot").toString(), builder.mode, "--debug",
                "--plugin-dir", pluginDir.toString(), "--runtime-dir", runtimeDir.toString(),
                "--confdir", confDir.toString(), "--log-dir", logDir.toString()));
        command.addAll(builder.arguments);
        // The test JVM reaps nothing by itself, so a plain ProcessBuilder is safe here.
        ProcessBuilder processBuilder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> environment = processBuilder.environment();
        environment.remove("UPSHOT_JAVA");
        environment.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        environment.putAll(builder.environment);
        if (builder.javaOptions.isEmpty()) {
            environment.remove("UPSHOT_JAVA_OPTS");
        } else {
            environment.put("UPSHOT_JAVA_OPTS", String.join(" ", builder.javaOptions));
        }
        launched = !builder.launcher.isEmpty();
        process = processBuilder.start();
    }

    /** The unpacked distribution, from {@value #DISTRO_PROPERTY}. */
    public static Path distro() {
        String dir = System.getProperty(DISTRO_PROPERTY);
        if (dir == null) {
            throw new IllegalStateException("system property " + DISTRO_PROPERTY + " is not set: run through "
                    + "Maven's failsafe, which points it at distro/target/upshot-VERSION");
        }
        return Path.of(dir);
    }

    /** The jar {@code ARTIFACT-VERSION.jar} in the distribution's {@code plugins/}. */
    public static Path distroPlugin(String artifactId) {
        Path plugins = distro().resolve("plugins");
        try (Stream<Path> jars = Files.list(plugins)) {
            Pattern name = Pattern.compile(Pattern.quote(artifactId) + "-\\d[^/]*\\.jar");
            return jars.filter(jar -> name.matcher(jar.getFileName().toString()).matches()).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + artifactId + "-VERSION.jar in " + plugins));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A daemon to be started over {@code workDir}, a fresh directory of the test's. */
    public static Builder in(Path workDir) {
        return new Builder(workDir);
    }

    /** How to start a daemon; {@link #boot()} starts it. */
    public static final class Builder {
        private final Path workDir;
        private final List<Path> plugins = new ArrayList<>();
        private final List<String> javaOptions = new ArrayList<>();
        private final List<String> arguments = new ArrayList<>();
        private final List<String> launcher = new ArrayList<>();
        private final Map<String, String> jobs = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String mode = "--session";

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** Copies these jars into the plugin directory before the daemon starts. */
        public Builder plugins(Collection<Path> jars) {
            plugins.addAll(jars);
            return this;
        }

        /** Copies these jars into the plugin directory before the daemon starts. */
        public Builder plugins(Path... jars) {
            return plugins(List.of(jars));
        }

        /** Writes job file {@code name.conf} before the daemon starts. */
        public Builder job(String name, String text) {
            jobs.put(name, text);
            return this;
        }

        /** Adds JVM options ({@code -Dupshot.source.call.timeout.millis=1000}). */
        public Builder javaOptions(String... options) {
            javaOptions.addAll(List.of(options));
            return this;
        }

        /**
         * Sets a variable in the daemon's environment, and so in its jobs' where the daemon
         * passes it on ({@code PATH}).
         */
        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Adds arguments to {@code bin/upshot}'s command line. */
        public Builder arguments(String... more) {
            arguments.addAll(List.of(more));
            return this;
        }

        /**
         * Runs {@code bin/upshot} through this command ({@code unshare --pid --fork}),
         * which must run it as its only child.
         */
        public Builder launcher(String... command) {
            launcher.addAll(List.of(command));
            return this;
        }

        /** Runs the daemon with {@code --system} instead of {@code --session}. */
        public Builder system() {
            mode = "--system";
            return this;
        }

        /** Starts the daemon and returns at once. */
        public BootedDaemon start() throws IOException {
            return new BootedDaemon(this);
        }

        /** Starts the daemon and waits until it logs {@link #BOOTED}. */
        public BootedDaemon boot() throws IOException {
            BootedDaemon daemon = start();
            daemon.awaitLog(BOOTED);
            return daemon;
        }
    }

    /** The directory the daemon's own directories are in. */
    public Path workDir() {
        return workDir;
    }

    /** The directory the daemon installs plugins from, and watches. */
    public Path pluginDir() {
        return pluginDir;
    }

    /** The job directory ({@code --confdir}). */
    public Path confDir() {
        return confDir;
    }

    /** The daemon's runtime directory, which holds the control socket. */
    public Path runtimeDir() {
        return runtimeDir;
    }

    /** The directory of the jobs' console logs ({@code --log-dir}). */
    public Path logDir() {
        return logDir;
    }

    /** Writes job file {@code name.conf}; the daemon picks it up as it would any change. */
    public final BootedDaemon job(String name, String text) throws IOException {
        Files.writeString(confDir.resolve(name + ".conf"), text);
        return this;
    }

    // ---- the process ------------------------------------------------------------------

    /** The process started: the daemon's JVM, or the {@link Builder#launcher} command. */
    public Process process() {
        return process;
    }

    /** The daemon JVM's pid: the process started, or the launcher command's child. */
    public long pid() {
        if (!launched) {
            return process.pid();
        }
        Await.until(WAIT, () -> process.children().findAny().isPresent() || !process.isAlive(),
                () -> "the launcher's child; log:\n" + logTail());
        return process.children().findFirst().orElseThrow(() -> new AssertionError(
                "the launcher exited with " + process.exitValue() + ":\n" + logTail())).pid();
    }

    /** Whether the process started is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Stops the daemon with SIGTERM and waits for it.
     *
     * @return its exit status
     * @throws AssertionError if it has not exited after {@code timeout} (it is then killed)
     */
    public int stop(Duration timeout) throws InterruptedException {
        ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("the daemon ignored SIGTERM for " + timeout.toMillis() + " ms:\n" + logTail());
        }
        return process.exitValue();
    }

    /** Stops the daemon as {@link #stop} does, killing it if it takes longer than 10 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            ProcessHandle.of(launched ? pidIfAny() : process.pid()).ifPresent(ProcessHandle::destroy);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private long pidIfAny() {
        return process.children().findFirst().map(ProcessHandle::pid).orElse(process.pid());
    }

    private void kill() throws InterruptedException {
        // Under a launcher such as unshare the daemon is its child: kill that first.
        process.children().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    // ---- the log ----------------------------------------------------------------------

    /** Everything the daemon wrote so far (stdout and stderr). */
    public String log() {
        try {
            return Files.readString(output);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The end of the log, for failure messages. */
    public String logTail() {
        String log = log();
        return log.length() <= LOG_TAIL_CHARS ? log : "..." + log.substring(log.length() - LOG_TAIL_CHARS);
    }

    /** The log's length now: a mark for {@link #awaitLog(String, int)} to search after. */
    public int logMark() {
        return log().length();
    }

    /**
     * The first line after {@code mark} (a {@link #logMark()}) that matches {@code regex}
     * (multi-line: {@code ^} and {@code $} are per line).
     */
    public Optional<String> logLine(String regex, int mark) {
        String log = log();
        Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(log)
                .region(Math.min(mark, log.length()), log.length());
        if (!matcher.find()) {
            return Optional.empty();
        }
        int start = log.lastIndexOf('\n', matcher.start()) + 1;
        int end = log.indexOf('\n', matcher.end());
        return Optional.of(log.substring(start, end < 0 ? log.length() : end));
    }

    /** Waits until the log matches {@code regex}. */
    public void awaitLog(String regex) {
        awaitLog(regex, 0);
    }

    /**
     * Waits until the log after {@code mark} (a {@link #logMark()}) matches {@code regex}.
     *
     * @throws AssertionError on timeout, or at once if the daemon exits first
     */
    public void awaitLog(String regex, int mark) {
        BooleanSupplier logged = () -> logLine(regex, mark).isPresent();
        Await.until(WAIT, () -> logged.getAsBoolean() || !process.isAlive(),
                () -> "log matching /" + regex + "/; log:\n" + logTail());
        if (!logged.getAsBoolean()) {
            throw new AssertionError("the daemon exited with " + process.exitValue() + " before logging /" + regex
                    + "/:\n" + logTail());
        }
    }

    // ---- the control socket -----------------------------------------------------------

    /** A request the daemon answered with an error reply. */
    public static final class Refused extends RuntimeException {
        private final String code;

        Refused(String code, String message) {
            super(code + ": " + message);
            this.code = code;
        }

        /** The reply's error code ({@code UNKNOWN_JOB}...). */
        public String code() {
            return code;
        }
    }

    /**
     * Sends one request over a connection of its own and reads the reply.
     *
     * @param fields the command's fields ({@code job}, {@code env}...)
     * @return the success reply
     * @throws Refused for an error reply
     * @throws AssertionError if there is no reply within {@link #WAIT}
     */
    public Map<String, Object> request(Command command, Map<String, Object> fields) throws IOException {
        Map<String, Object> request = Protocol.request(REQUEST_IDS.incrementAndGet(), command);
        request.putAll(fields);
        Map<String, Object> reply = Json.parseObject(exchange(Json.write(request)));
        if (!Protocol.bool(reply, Protocol.F_OK, false)) {
            throw new Refused(Protocol.string(reply, Protocol.F_CODE, true),
                    Protocol.string(reply, Protocol.F_MESSAGE, false));
        }
        return reply;
    }

    /** Writes {@code line} and reads one line back, waiting at most {@link #WAIT}. */
    private String exchange(String line) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(
                runtimeDir.resolve(Protocol.SOCKET_NAME))); Selector selector = Selector.open()) {
            ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no reply to " + line + " within " + WAIT.toMillis() + " ms; log:\n"
                            + logTail());
                }
                selector.select(left);
                selector.selectedKeys().clear();
                in.clear();
                if (channel.read(in) < 0) {
                    throw new IOException("the daemon closed the connection without replying to " + line);
                }
                for (int i = 0; i < in.position(); i++) {
                    if (in.get(i) == '\n') {
                        reply.write(in.array(), 0, i);
                        return reply.toString(StandardCharsets.UTF_8);
                    }
                }
                reply.write(in.array(), 0, in.position());
            }
        }
    }

    /**
     * The instances of {@code job} as {@code status} shows them; empty when it is
     * {@code stop/waiting}.
     *
     * @throws Refused {@code UNKNOWN_JOB} if the daemon has no such job (not loaded yet,
     *     held back, or withdrawn while an instance still runs)
     */
    public List<InstanceStatus> status(String job) throws IOException {
        return instances((Map<?, ?>) request(Command.STATUS, Map.of(Protocol.F_JOB, job)).get(Protocol.F_JOB));
    }

    /**
     * Every job the engine holds, by name, as {@code list} shows them: also a job whose
     * file was withdrawn (or held back for want of a plugin) while an instance runs on.
     */
    public Map<String, List<InstanceStatus>> list() throws IOException {
        Map<String, List<InstanceStatus>> jobs = new TreeMap<>();
        for (Object job : (List<?>) request(Command.LIST, Map.of()).get("jobs")) {
            jobs.put((String) ((Map<?, ?>) job).get("name"), instances((Map<?, ?>) job));
        }
        return jobs;
    }

    private static List<InstanceStatus> instances(Map<?, ?> job) {
        List<InstanceStatus> instances = new ArrayList<>();
        for (Object instance : (List<?>) job.get("instances")) {
            instances.add(InstanceStatus.of((Map<?, ?>) instance));
        }
        return instances;
    }

    /** {@code job}'s instances as {@link #list} shows them; empty if it is not there or the socket is not up yet. */
    private Optional<List<InstanceStatus>> listed(String job) {
        try {
            return Optional.ofNullable(list().get(job));
        } catch (Refused | IOException e) {
            return Optional.empty();
        }
    }

    /** What the daemon shows of {@code job}, for messages. */
    public String describe(String job) {
        try {
            List<InstanceStatus> instances = list().get(job);
            return instances == null ? job + " is not loaded" : instances.isEmpty() ? job + " stop/waiting"
                    : instances.toString();
        } catch (Refused | IOException e) {
            return job + ": " + e.getMessage();
        }
    }

    /** The pid of singleton {@code job}'s main process if it is {@code start/running}. */
    public Optional<Long> runningPid(String job) {
        return listed(job).flatMap(instances -> instances.stream()
                .filter(instance -> instance.goalAndState().equals("start/running") && instance.mainPid().isPresent())
                .map(instance -> instance.mainPid().getAsLong()).findFirst());
    }

    /** Whether the daemon holds {@code job} and it has no instance ({@code stop/waiting}). */
    public boolean isStopped(String job) {
        return listed(job).map(List::isEmpty).orElse(false);
    }

    /**
     * Waits until {@code job} is {@code start/running} with a main process.
     *
     * @return the main process's pid
     */
    public long awaitRunning(String job) {
        Await.until(WAIT, () -> runningPid(job).isPresent(),
                () -> job + " start/running; status: " + describe(job) + "\nlog:\n" + logTail());
        return runningPid(job).orElseThrow();
    }

    /** Waits until the daemon knows {@code job} and it is {@code stop/waiting}. */
    public void awaitStopped(String job) {
        Await.until(WAIT, () -> isStopped(job),
                () -> job + " stop/waiting; status: " + describe(job) + "\nlog:\n" + logTail());
    }

    /** Starts {@code job} and waits until it is at rest, as {@code initctl start} does. */
    public void startJob(String job) throws IOException {
        request(Command.START, Map.of(Protocol.F_JOB, job));
    }

    /** Stops {@code job} and waits until it is {@code stop/waiting}, as {@code initctl stop} does. */
    public void stopJob(String job) throws IOException {
        request(Command.STOP, Map.of(Protocol.F_JOB, job));
    }

    /** Emits {@code event} with {@code env} ({@code KEY=VALUE}) and waits for the jobs it moved. */
    public void emit(String event, String... env) throws IOException {
        request(Command.EMIT, Map.of(Protocol.F_EVENT, event, Protocol.F_ENV, List.of(env)));
    }

    // ---- the plugin directory ---------------------------------------------------------

    /**
     * Copies {@code jar} into the plugin directory under a hidden name and renames it into
     * place, as the README tells users to: the watcher never sees half a jar.
     */
    public Path dropPlugin(Path jar) throws IOException {
        Path temporary = pluginDir.resolve("." + jar.getFileName());
        Files.copy(jar, temporary, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(temporary, pluginDir.resolve(jar.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Moves plugin {@code fileName} out of the plugin directory and waits until the daemon
     * logs it stopped and uninstalled.
     *
     * @return where the jar went, for {@link #restorePlugin}
     */
    public Path removePlugin(String fileName) throws IOException {
        Path kept = Files.createDirectories(workDir.resolve("removed")).resolve(fileName);
        int mark = logMark();
        Files.move(pluginDir.resolve(fileName), kept, StandardCopyOption.REPLACE_EXISTING);
        awaitLog("plugin " + Pattern.quote(symbolicName(kept)) + " \\S+ \\[\\d+\\] removed: stopped and uninstalled",
                mark);
        return kept;
    }

    /** Puts a jar {@link #removePlugin removed} back and waits until the daemon logs it started. */
    public void restorePlugin(Path kept) throws IOException {
        int mark = logMark();
        dropPlugin(kept);
        awaitLog("started " + Pattern.quote(symbolicName(kept)) + " \\S+ \\[\\d+\\]$", mark);
    }

    /** A plugin jar's {@code Bundle-SymbolicName}. */
    public static String symbolicName(Path jar) throws IOException {
        return PluginDeclaration.read(jar).map(PluginDeclaration::bundle).filter(name -> !name.isEmpty())
                .orElseThrow(() -> new AssertionError(jar + " has no Bundle-SymbolicName"));
    }
}
