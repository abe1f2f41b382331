package org.upshot.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.upshot.daemon.DaemonSettings;
import org.upshot.daemon.DescriptorStore;
import org.upshot.engine.internal.api.JobControl;
import org.upshot.engine.internal.config.ChangeSet;
import org.upshot.engine.internal.config.Configuration;
import org.upshot.engine.internal.config.ConfigurationLoader;
import org.upshot.engine.internal.config.ConfigurationWatcher;
import org.upshot.engine.internal.event.EngineEvents;
import org.upshot.engine.internal.job.Engine;
import org.upshot.engine.internal.job.EngineControl;
import org.upshot.engine.internal.job.EngineSettings;
import org.upshot.engine.internal.job.ReexecState;
import org.upshot.engine.internal.job.SourceEventLimit;
import org.upshot.engine.internal.parse.Diagnostic;
import org.upshot.engine.internal.plugin.PluginCatalog;
import org.upshot.event.Event;
import org.upshot.process.Cgroups;
import org.upshot.process.Host;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessLauncher;
import org.upshot.process.Signals;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.source.PluginDeclaration;
import org.upshot.spi.stanza.StanzaExtension;

/**
 * The engine in the framework: reads the daemon settings, loads and watches the job
 * files, learns what every installed bundle declares (before it starts), binds event
 * sources and stanza extensions as they come and go, turns the daemon's signals into
 * events, and offers {@link JobControl} as a service. Sources get their emitter from
 * the engine when they are started; there is no other way in.
 */
@Component(immediate = true)
public final class EngineComponent {

    private static final Logger LOG = System.getLogger(EngineComponent.class.getName());
    private static final int SIGWINCH = 28;
    private static final int SIGPWR = 30;
    /** How long a descriptor a re-exec handed over waits for its plugin to take it back. */
    private static final Duration UNCLAIMED_DESCRIPTOR_DELAY = Duration.ofMinutes(1);

    private final BundleContext context;
    private final Host host;
    private final DaemonSettings settings;
    private final Engine engine;
    private final PluginCatalog plugins = new PluginCatalog();
    private final ConfigurationLoader loader;
    private final ProcessLauncher launcher;
    /** Set once in activate, before any signal handler or control request can use it. */
    private volatile Shutdown shutdown;
    private final SynchronousBundleListener declarations = this::bundleChanged;
    private ServiceRegistration<JobControl> control;
    private volatile ConfigurationWatcher watcher;

    @Activate
    public EngineComponent(BundleContext context, @Reference ProcessLauncher launcher, @Reference Host host,
            @Reference Cgroups cgroups, @Reference DescriptorStore descriptors) {
        this.context = context;
        this.host = host;
        this.launcher = launcher;
        this.settings = DaemonSettings.fromProperties(context::getProperty, DaemonSettings.Facts.current());
        this.engine = new Engine(launcher, EngineSettings.of(settings, System.getenv(), usable(cgroups))
                .withSourceEventLimit(sourceEventLimit(context.getProperty(SourceEventLimit.PROPERTY))), host,
                descriptors);
        this.loader = new ConfigurationLoader(settings.confDirs(), plugins);
    }

    @Activate
    void activate() {
        context.addBundleListener(declarations);
        for (Bundle bundle : context.getBundles()) {
            declare(bundle);
        }
        // not PID 1 itself (a session, or the child of bin/upshot's PID 1): orphans of jobs
        // must come to the daemon, which follows forking daemons and reaps them
        if (host.pid() != 1) {
            try {
                host.becomeChildSubreaper();
            } catch (PosixException e) {
                LOG.log(Level.WARNING, "cannot become a child subreaper; orphans of jobs are not reaped: "
                        + e.getMessage());
                engine.emit(Event.of("child-subreaper-failed"));
            }
        }
        engine.start();
        Configuration configuration = loader.load();
        report(configuration.diagnostics());
        engine.configure(configuration.jobs().values());
        Optional<ReexecState> handedOver = handedOver();
        handedOver.ifPresentOrElse(engine::takeOver, engine::adoptRuns);
        try {
            watcher = ConfigurationWatcher.start(loader, this::configurationChanged);
            // an extension bound between the load and now would otherwise go unseen
            watcher.extensionsChanged();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "job files are not watched for changes: " + e.getMessage());
        }
        Runlevels runlevels = new Runlevels(settings.runtimeDir());
        // the control service is registered, and the signals handled, only once shutdown is set
        JobControl jobControl = new EngineControl(engine, this::reloadConfiguration, plugins::declaredEvents,
                () -> loader.problems().stream().map(Diagnostic::render).toList(),
                action -> shutdown.begin(Optional.of(action)));
        shutdown = new Shutdown(engine, jobControl, launcher, runlevels, shutdownTimeout(), this::stopFramework);
        jobControl.subscribe(runlevels);
        handleSignals();
        control = context.registerService(JobControl.class, jobControl, new Hashtable<>());
        if (handedOver.isEmpty()) {
            engine.emit(Event.of(EngineEvents.STARTUP));
        }
    }

    /**
     * What the daemon before this program handed over, if it re-executed into this one
     * ({@link DaemonSettings#REEXEC_STATE}); read once and removed. A handover that cannot
     * be read is logged, and the runs are adopted from their records as after a crash;
     * {@code startup} is not emitted again either way, since the system is up.
     */
    private Optional<ReexecState> handedOver() {
        String file = context.getProperty(DaemonSettings.REEXEC_STATE);
        if (file == null) {
            return Optional.empty();
        }
        Path path = Path.of(file);
        ReexecState state;
        try {
            state = ReexecState.read(path);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot take over from the daemon before the re-exec: " + e.getMessage()
                    + "; adopting its runs from their records");
            state = ReexecState.nothing();
            engine.adoptRuns();
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove " + path + ": " + e.getMessage());
        }
        engine.closeUnclaimedDescriptors(UNCLAIMED_DESCRIPTOR_DELAY);
        return Optional.of(state);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(declarations);
        try {
            if (control != null) {
                control.unregister();
            }
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping and took it down first
        }
        if (watcher != null) {
            watcher.close();
        }
        engine.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSource(EventSource source, ServiceReference<EventSource> reference) {
        Bundle bundle = reference.getBundle();
        engine.bindSource(source, PluginCatalog.sourceName(source.getClass(), declarationOf(bundle)),
                bundle.getSymbolicName());
    }

    void unbindSource(EventSource source) {
        engine.unbindSource(source);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindExtension(StanzaExtension extension, ServiceReference<StanzaExtension> reference) {
        PluginDeclaration declaration = declarationOf(reference.getBundle());
        if (plugins.activate(extension, declaration).isEmpty()) {
            LOG.log(Level.WARNING, "stanza extension " + extension.getClass().getName() + " from "
                    + declaration.bundle() + " declares no keyword (@StanzaDeclaration); it is not used");
        }
        extensionsChanged();
    }

    void unbindExtension(StanzaExtension extension) {
        plugins.deactivate(extension);
        extensionsChanged();
    }

    private void bundleChanged(BundleEvent event) {
        switch (event.getType()) {
            case BundleEvent.INSTALLED, BundleEvent.UPDATED -> {
                declare(event.getBundle());
                extensionsChanged();
            }
            case BundleEvent.UNINSTALLED -> {
                plugins.forget(key(event.getBundle()));
                extensionsChanged();
            }
            default -> {
                // started, stopped, resolved...: declarations do not change
            }
        }
    }

    private void declare(Bundle bundle) {
        PluginDeclaration declaration = declarationOf(bundle);
        if (!declaration.isEmpty()) {
            plugins.declare(key(bundle), declaration);
        }
    }

    private static String key(Bundle bundle) {
        return Long.toString(bundle.getBundleId());
    }

    /** What a bundle's manifest declares; nothing (with a warning) if it is malformed. */
    private static PluginDeclaration declarationOf(Bundle bundle) {
        String name = bundle.getSymbolicName() == null ? bundle.getLocation() : bundle.getSymbolicName();
        try {
            return PluginDeclaration.of(name, bundle.getHeaders("").get("Provide-Capability"));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "bundle " + name + " declares its plugin capabilities wrongly: " + e.getMessage());
            return PluginDeclaration.of(name, null);
        }
    }

    private void extensionsChanged() {
        ConfigurationWatcher current = watcher;
        if (current != null) {
            current.extensionsChanged();
        }
    }

    private void configurationChanged(ChangeSet changes) {
        report(changes.diagnostics());
        engine.apply(changes);
    }

    private CompletionStage<Void> reloadConfiguration() {
        ConfigurationWatcher current = watcher;
        if (current == null) {
            ChangeSet changes = loader.reload();
            configurationChanged(changes);
            return engine.ask(() -> null);
        }
        // the watcher hands the change set to the engine before the stage completes
        return current.reload().thenCompose(changes -> engine.ask(() -> null));
    }

    /** Problems are warnings; a job held back for a plugin that is not active yet is news. */
    private static void report(List<Diagnostic> diagnostics) {
        for (Diagnostic diagnostic : diagnostics) {
            LOG.log(diagnostic.kind() == Diagnostic.Kind.EXTENSION_NOT_LOADED ? Level.INFO : Level.WARNING,
                    diagnostic.render());
        }
    }

    private void handleSignals() {
        onSignal(Signals.HUP, () -> reloadConfiguration());
        onSignal(Signals.TERM, this::stopEveryJob);
        if (settings.pid1()) {
            onSignal(Signals.INT, () -> engine.emit(Event.of("control-alt-delete")));
            onSignal(SIGWINCH, () -> engine.emit(Event.of("keyboard-request")));
            onSignal(SIGPWR, () -> engine.emit(Event.of("power-status-changed")));
        } else {
            onSignal(Signals.INT, this::stopEveryJob);
        }
    }

    private void onSignal(int signal, Runnable handler) {
        try {
            host.onSignal(signal, handler);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "signal " + Signals.name(signal) + " cannot be handled: " + e.getMessage());
        }
    }

    /** SIGTERM: every job stopped (their stop events in order), then the daemon exits. */
    private void stopEveryJob() {
        shutdown.begin(Optional.empty());
    }

    private void stopFramework() {
        try {
            context.getBundle(0).stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.log(Level.ERROR, "cannot stop the framework", e);
        }
    }

    private Duration shutdownTimeout() {
        String millis = context.getProperty(DaemonSettings.SHUTDOWN_TIMEOUT_MILLIS);
        if (millis == null || millis.isBlank()) {
            return Shutdown.DEFAULT_TIMEOUT;
        }
        try {
            return Duration.ofMillis(Long.parseLong(millis.strip()));
        } catch (NumberFormatException e) {
            LOG.log(Level.WARNING, "ignoring " + DaemonSettings.SHUTDOWN_TIMEOUT_MILLIS + "=" + millis
                    + ": not a number of milliseconds");
            return Shutdown.DEFAULT_TIMEOUT;
        }
    }

    /** The sources' event limit the property sets; a bad one is reported and the default kept. */
    private static SourceEventLimit sourceEventLimit(String property) {
        try {
            return SourceEventLimit.parse(property);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, e.getMessage() + "; using " + SourceEventLimit.DEFAULT);
            return SourceEventLimit.DEFAULT;
        }
    }

    /** The cgroup tree when forking daemons can be followed exactly, else the child-list fallback. */
    private static Optional<Cgroups> usable(Cgroups cgroups) {
        if (cgroups.isAvailable()) {
            return Optional.of(cgroups);
        }
        LOG.log(Level.INFO, "no writable cgroup2 directory ("
                + cgroups.unavailabilityCause().map(Throwable::getMessage).orElse("no cause given")
                + "): forking daemons are followed through the child list");
        return Optional.empty();
    }
}
