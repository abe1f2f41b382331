package org.upshot.launcher;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.upshot.daemon.DaemonSettings;
import sun.misc.Signal;

/**
 * One run of the daemon: Felix with the core bundles and the plugin directory, until
 * the framework is asked to stop.
 *
 * <p>Stopping: SIGTERM and SIGINT (SIGTERM only, as PID 1) stop the framework in order
 * (each bundle deactivates) until the engine installs its own handlers, which do the
 * same after stopping every job. Whoever stops the system bundle may first set the system property
 * {@value #EXIT_STATUS_PROPERTY} to choose the exit status (default 0), and as the init
 * {@link DaemonSettings#EXIT_ACTION} to reboot, halt or power off ({@link KernelReboot}). An update of
 * the system bundle restarts the framework in place.
 *
 * <p>As PID 1 nothing here exits on error: a framework that fails is started again,
 * and if it cannot start at all the {@link FallbackReaper} keeps reaping orphans.
 */
final class Daemon {
    /** System property read when the framework has stopped: the daemon's exit status. */
    static final String EXIT_STATUS_PROPERTY = "upshot.exit.status";

    private static final System.Logger LOG = System.getLogger("org.upshot.launcher");

    private final DaemonSettings settings;
    private final Path distroHome;
    private final String version;
    private final AtomicReference<Framework> running = new AtomicReference<>();
    private boolean trimming;

    Daemon(DaemonSettings settings, Path distroHome, String version) {
        this.settings = settings;
        this.distroHome = distroHome;
        this.version = version;
    }

    /** Runs until stopped; returns the exit status. As PID 1 returns only when asked to stop. */
    int run() {
        handleStopSignals();
        ignoreSignalsWithNoMeaning();
        while (true) {
            try {
                FrameworkEvent stopped = runFramework();
                switch (stopped.getType()) {
                    case FrameworkEvent.STOPPED_UPDATE, FrameworkEvent.STOPPED_SYSTEM_REFRESHED -> {
                        LOG.log(Level.INFO, "framework updated; starting it again");
                        continue;
                    }
                    case FrameworkEvent.STOPPED -> {
                        int status = requestedExitStatus();
                        askTheKernel();
                        LOG.log(Level.INFO, "framework stopped; exiting with status {0}", Integer.toString(status));
                        return status;
                    }
                    default -> LOG.log(Level.ERROR, "framework stopped on error", stopped.getThrowable());
                }
            } catch (BundleException | IOException | RuntimeException e) {
                LOG.log(Level.ERROR, "cannot run the OSGi framework", e);
                if (settings.pid1()) {
                    FallbackReaper.reapForever();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            if (!settings.pid1()) {
                return 1;
            }
            LOG.log(Level.WARNING, "PID 1 does not exit: starting the framework again");
        }
    }

    private FrameworkEvent runFramework() throws BundleException, IOException, InterruptedException {
        long begin = System.nanoTime();
        prepareDirectories();
        Framework framework = new FrameworkFactory()
                .newFramework(FrameworkProperties.of(settings, version, distroHome.resolve("lib")));
        framework.init();
        framework.getBundleContext().addFrameworkListener(Daemon::logFrameworkEvent);
        framework.start();
        running.set(framework);
        BundleDeployer deployer = new BundleDeployer(framework.getBundleContext());
        List<List<Bundle>> deployed =
                deployer.deployDirectories(List.of(distroHome.resolve("bundle"), settings.pluginDir()));
        List<Bundle> core = deployed.get(0);
        List<Bundle> plugins = deployed.get(1);
        PluginWatcher watcher = watchPlugins(deployer);
        try {
            LOG.log(Level.INFO, "upshot {0} started in {1} mode (pid {2}) in {3} ms: {4} core and {5} plugin bundles active",
                    version, settings.mode().label(), Long.toString(ProcessHandle.current().pid()),
                    Long.toString((System.nanoTime() - begin) / 1_000_000), core.size(), plugins.size());
            // from the end of boot on, so that no collection pauses it
            if (!trimming) {
                MemoryTrimmer.start();
                trimming = true;
            }
            return framework.waitForStop(0);
        } finally {
            if (watcher != null) {
                watcher.close();
            }
            running.set(null);
        }
    }

    private PluginWatcher watchPlugins(BundleDeployer deployer) {
        try {
            return PluginWatcher.start(settings.pluginDir(), deployer);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "cannot watch plugin directory " + settings.pluginDir()
                    + "; plugins are not reloaded while running", e);
            return null;
        }
    }

    private void prepareDirectories() throws IOException {
        // The control socket lives in the runtime directory: a session's is private.
        String permissions = settings.mode() == DaemonSettings.Mode.SESSION ? "rwx------" : "rwxr-xr-x";
        if (!Files.isDirectory(settings.runtimeDir())) {
            Files.createDirectories(settings.runtimeDir(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        }
        Files.createDirectories(settings.logDir());
        if (!Files.isDirectory(settings.pluginDir())) {
            Files.createDirectories(settings.pluginDir());
        }
    }

    /**
     * SIGTERM and SIGINT stop the framework in order, until the engine takes them over.
     * As PID 1 SIGINT is the kernel's control-alt-delete, never a reason to exit.
     */
    private void handleStopSignals() {
        for (String name : List.of("TERM", "INT")) {
            try {
                if (settings.pid1() && name.equals("INT")) {
                    Signal.handle(new Signal(name), signal -> LOG.log(Level.WARNING,
                            "SIGINT before the engine runs: ignored"));
                } else {
                    Signal.handle(new Signal(name), signal -> stopFramework("SIG" + name));
                }
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "cannot handle SIG" + name, e);
            }
        }
    }

    /**
     * Signals an init gives no meaning to, whose default would end (or stop) the daemon:
     * taken and logged (the real-time ones ignored), so a stray {@code kill -USR2} cannot. As PID 1 the kernel already
     * drops them (bin/upshot's shell is PID 1 and has no handler); this protects the daemon
     * itself, in a session or under that shell. SEGV, BUS, FPE and ILL stay the JVM's:
     * they reach its crash handler, which no Java code can keep from ending the process.
     */
    private static void ignoreSignalsWithNoMeaning() {
        for (String name : List.of("USR1", "USR2", "ALRM", "VTALRM", "PROF", "IO", "XCPU", "XFSZ", "STKFLT",
                "SYS", "TRAP", "PIPE", "TSTP", "TTIN", "TTOU")) {
            try {
                Signal.handle(new Signal(name), signal -> LOG.log(Level.DEBUG, "SIG{0} ignored", name));
            } catch (IllegalArgumentException e) {
                LOG.log(Level.DEBUG, "SIG{0} is the JVM''s: {1}", name, e.getMessage());
            }
        }
        // Its first jnr call loads jffi and generates a binding (≈ 100 ms): on a thread of
        // its own it overlaps Felix's start, and the kernel's spawns find jnr loaded.
        Thread realTime = new Thread(RealTimeSignals::ignore, "upshot-rt-signals");
        realTime.setDaemon(true);
        realTime.start();
    }

    private void stopFramework(String reason) {
        Framework framework = running.get();
        LOG.log(Level.INFO, "{0}: stopping", reason);
        if (framework == null) {
            System.exit(0);
        }
        try {
            framework.stop();
        } catch (BundleException | RuntimeException e) {
            LOG.log(Level.ERROR, "cannot stop the framework", e);
        }
    }

    /**
     * The init's end of {@code initctl reboot|halt|poweroff}: the action the engine set in
     * {@link DaemonSettings#EXIT_ACTION}. A daemon that is not the init just exits.
     */
    private void askTheKernel() {
        String action = System.getProperty(DaemonSettings.EXIT_ACTION);
        if (action == null || !settings.pid1()) {
            return;
        }
        LOG.log(Level.INFO, "asking the kernel to {0}", action);
        LOG.log(Level.ERROR, KernelReboot.request(action) + "; exiting instead");
    }

    private static int requestedExitStatus() {
        String status = System.getProperty(EXIT_STATUS_PROPERTY, "0");
        try {
            return Integer.parseInt(status.trim());
        } catch (NumberFormatException e) {
            LOG.log(Level.WARNING, "ignoring bad {0}={1}", EXIT_STATUS_PROPERTY, status);
            return 0;
        }
    }

    private static void logFrameworkEvent(FrameworkEvent event) {
        String source = event.getBundle() == null ? "framework" : Bundles.describe(event.getBundle());
        switch (event.getType()) {
            case FrameworkEvent.ERROR -> LOG.log(Level.ERROR, source, event.getThrowable());
            case FrameworkEvent.WARNING -> LOG.log(Level.WARNING, source, event.getThrowable());
            default -> {
                // STARTED, PACKAGES_REFRESHED...: routine, nothing to report
            }
        }
    }
}
