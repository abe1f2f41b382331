package org.upshot.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;
import org.upshot.spi.source.PluginDeclaration;

/**
 * The contract every event source keeps, checked in the booted distribution with the
 * source's plugin as its only plugin, driven by the source's {@link SourceScenario}:
 * <ol>
 * <li>it announces what is already true when it starts: a job waiting for that runs
 *     after boot;</li>
 * <li>its real event starts a job;</li>
 * <li>unloading it (its jar leaves {@code plugins/}) stops it and leaves the jobs it
 *     started running, with the same main processes;</li>
 * <li>once stopped it emits nothing: its event, caused for real, starts nothing, and the
 *     daemon logs no event of its as dropped;</li>
 * <li>reloading it leaves the running jobs untouched, and its events start jobs again.</li>
 * </ol>
 * The checks share one daemon and run in that order, each leaving the daemon as the next
 * expects; a check whose predecessor failed says so. Each check fails after 90 s at
 * most. {@link #close} stops the daemon.
 */
public final class SourceContract implements AutoCloseable {
    /** The job of {@link SourceScenario#alreadyTrueJob}. */
    static final String ALREADY_TRUE = "already-true";
    /** The job of {@link SourceScenario#triggeredJob}. */
    static final String TRIGGERED = "triggered";

    private static final int CHECK_SECONDS = 90;
    private static final String MAIN_PROCESS = "exec sleep 600\n";

    private final SourceScenario scenario;
    private final Path work;
    private final Path daemonDir;
    private final Path jar;
    private BootedDaemon daemon;
    private Throwable bootFailure;
    private long alreadyTruePid;
    private long triggeredPid;
    private Path removedJar;
    /** The log's length when the jar was removed. */
    private int removedAt;

    /**
     * @param dir a fresh directory for the scenario's files and the daemon's
     */
    public SourceContract(SourceScenario scenario, Path dir) {
        this.scenario = scenario;
        this.work = dir.resolve("work");
        this.daemonDir = dir.resolve("daemon");
        this.jar = BootedDaemon.distroPlugin(scenario.plugin());
    }

    /** Every scenario on the class path, by plugin name. */
    public static List<SourceScenario> scenarios() {
        List<SourceScenario> scenarios = new ArrayList<>();
        ServiceLoader.load(SourceScenario.class).forEach(scenarios::add);
        scenarios.sort(Comparator.comparing(SourceScenario::plugin));
        return scenarios;
    }

    /** The checks, named after the plugin, to run in order. */
    public DynamicContainer checks() {
        return DynamicContainer.dynamicContainer(scenario.plugin(), Stream.of(
                check("announces what is already true when it starts", this::announcesWhatIsTrueAtStart),
                check("starts a job on its real event", this::startsAJobOnItsRealEvent),
                check("unloading it leaves the jobs it started running", this::unloadLeavesRunningJobsUntouched),
                check("emits nothing after it was stopped", this::emitsNothingAfterStop),
                check("reloading it leaves running jobs untouched and its events start jobs again",
                        this::reloadLeavesRunningJobsUntouchedAndItsEventsFlowAgain)));
    }

    private DynamicTest check(String name, Executable body) {
        return DynamicTest.dynamicTest(name, () -> assertTimeoutPreemptively(Duration.ofSeconds(CHECK_SECONDS), body,
                () -> daemon == null ? "no daemon" : "log:\n" + daemon.logTail()));
    }

    @Override
    public void close() throws InterruptedException {
        if (daemon != null) {
            daemon.close();
        }
    }

    // ---- the checks -------------------------------------------------------------------

    private void announcesWhatIsTrueAtStart() throws IOException {
        // The condition was true before boot: the source announces it and its job starts.
        alreadyTruePid = booted().awaitRunning(ALREADY_TRUE);
    }

    private void startsAJobOnItsRealEvent() throws IOException {
        // The event is caused for real, and the job waiting for it starts.
        booted();
        scenario.trigger(work);
        triggeredPid = daemon.awaitRunning(TRIGGERED);
    }

    private void unloadLeavesRunningJobsUntouched() throws IOException {
        // The jar leaves plugins/: the source is stopped, its jobs run on in the same processes.
        booted();
        requireRunningJobs();
        removedAt = daemon.logMark();
        removedJar = daemon.removePlugin(jar.getFileName().toString());
        awaitEverySource("stopped", removedAt);
        assertStillRunning(ALREADY_TRUE, alreadyTruePid);
        assertStillRunning(TRIGGERED, triggeredPid);
    }

    private void emitsNothingAfterStop() throws IOException {
        // Unloaded, the source's event is caused again: nothing starts the stopped job.
        booted();
        requireUnloaded();
        if (daemon.runningPid(TRIGGERED).isPresent()) {
            daemon.stopJob(TRIGGERED);
        }
        daemon.awaitStopped(TRIGGERED);
        scenario.trigger(work);
        Await.stays(scenario.quietWindow(), () -> daemon.isStopped(TRIGGERED),
                () -> TRIGGERED + " started while its source was unloaded: " + daemon.describe(TRIGGERED)
                        + "\nlog:\n" + daemon.logTail());
        assertNoLateEvent(removedAt);
    }

    private void reloadLeavesRunningJobsUntouchedAndItsEventsFlowAgain() throws IOException {
        // The jar comes back: the running job keeps its process, the event starts its job again.
        booted();
        requireUnloaded();
        int mark = daemon.logMark();
        daemon.restorePlugin(removedJar);
        removedJar = null;
        awaitEverySource("started", mark);
        // What the trigger left while the source was away may be announced and start the
        // job first: either way the reloaded source's events flow.
        scenario.trigger(work);
        daemon.awaitRunning(TRIGGERED);
        assertStillRunning(ALREADY_TRUE, alreadyTruePid);
        assertNoLateEvent(mark);
    }

    // ---- helpers ----------------------------------------------------------------------

    /** The daemon, booted on first use with the scenario's plugin and two jobs. */
    private BootedDaemon booted() throws IOException {
        if (bootFailure != null) {
            throw new AssertionError("the daemon did not boot (see the first check)", bootFailure);
        }
        if (daemon == null) {
            try {
                Files.createDirectories(work);
                scenario.makeAlreadyTrue(work);
                daemon = BootedDaemon.in(daemonDir).plugins(jar)
                        .job(ALREADY_TRUE, scenario.alreadyTrueJob(work) + "\n" + MAIN_PROCESS)
                        .job(TRIGGERED, scenario.triggeredJob(work) + "\n" + MAIN_PROCESS)
                        .boot();
            } catch (IOException | RuntimeException | Error e) {
                bootFailure = e;
                throw e;
            }
        }
        return daemon;
    }

    private void requireRunningJobs() {
        if (alreadyTruePid == 0 || triggeredPid == 0) {
            throw new AssertionError("needs both jobs running, as the first two checks leave them");
        }
    }

    private void requireUnloaded() {
        if (removedJar == null) {
            throw new AssertionError("needs the plugin unloaded, as the unload check leaves it");
        }
    }

    /** Waits until the engine logs every source of the plugin {@code what} (started, stopped) after {@code mark}. */
    private void awaitEverySource(String what, int mark) throws IOException {
        PluginDeclaration declaration = PluginDeclaration.read(jar).orElseThrow();
        if (declaration.sources().isEmpty()) {
            throw new AssertionError(jar.getFileName() + " declares no event source");
        }
        for (PluginDeclaration.Source source : declaration.sources()) {
            daemon.awaitLog(Pattern.quote(sourceInLog(source.name(), declaration.bundle())) + " " + what + "$", mark);
        }
    }

    private void assertStillRunning(String job, long pid) {
        assertEquals(pid, daemon.runningPid(job).orElse(0L), () -> job + " is not start/running with main process "
                + pid + ": " + daemon.describe(job) + "\nlog:\n" + daemon.logTail());
    }

    /** No event of the plugin's sources was dropped as emitted after stop, since {@code mark}. */
    private void assertNoLateEvent(int mark) throws IOException {
        String late = "event source \\S+ from bundle " + Pattern.quote(BootedDaemon.symbolicName(jar))
                + " emitted .* after it was stopped";
        daemon.logLine(late, mark).ifPresent(line -> fail("the source emitted after it was stopped: " + line));
    }

    /** How the engine names a source in its log. */
    static String sourceInLog(String name, String bundle) {
        return "event source " + name + " from bundle " + bundle;
    }
}
