package org.upshot.engine.internal;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.upshot.engine.internal.api.JobControl;
import org.upshot.engine.internal.config.ChangeSet;
import org.upshot.engine.internal.config.Configuration;
import org.upshot.engine.internal.config.ConfigurationLoader;
import org.upshot.engine.internal.config.ConfigurationWatcher;
import org.upshot.engine.internal.job.Engine;
import org.upshot.engine.internal.job.EngineControl;
import org.upshot.engine.internal.job.EngineSettings;
import org.upshot.engine.internal.model.ConsoleMode;
import org.upshot.engine.internal.parse.Diagnostic;
import org.upshot.event.Event;
import org.upshot.event.EventEmitter;
import org.upshot.process.Cgroups;
import org.upshot.process.Host;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessLauncher;
import org.upshot.process.Signals;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.stanza.StanzaExtension;

/**
 * The engine in the framework: reads the daemon settings, loads and watches the job
 * files, binds event sources and stanza extensions as they come and go, turns the
 * daemon's signals into events, and offers {@link EventEmitter} (one per calling
 * bundle) and {@link JobControl} as services.
 */
@Component(immediate = true)
public final class EngineComponent {

    private static final Logger LOG = System.getLogger(EngineComponent.class.getName());
    private static final int SIGWINCH = 28;
    private static final int SIGPWR = 30;

    private final BundleContext context;
    private final Host host;
    private final Engine engine;
    private final ConfigurationLoader loader;
    private final Map<String, StanzaExtension> extensions = new ConcurrentHashMap<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private volatile ConfigurationWatcher watcher;

    @Activate
    public EngineComponent(BundleContext context, @Reference ProcessLauncher launcher, @Reference Host host,
            @Reference Cgroups cgroups) {
        this.context = context;
        this.host = host;
        boolean session = "session".equals(property("upshot.mode", "system"));
        Map<String, String> daemonEnv = System.getenv();
        EngineSettings settings = new EngineSettings(
                Path.of(property("upshot.runtime.dir", session ? sessionRuntimeDir(daemonEnv) : "/run/upshot")),
                Path.of(property("upshot.log.dir", session ? sessionLogDir(daemonEnv) : "/var/log/upshot")),
                "none".equals(property("upshot.default.console", "log")) ? ConsoleMode.NONE : ConsoleMode.LOG,
                EngineSettings.defaultBaseEnvironment(daemonEnv), daemonEnv, usable(cgroups));
        this.engine = new Engine(launcher, settings, host);
        List<Path> confdirs = new ArrayList<>();
        for (String dir : property("upshot.confdirs", session ? sessionConfdir(daemonEnv) : "/etc/init")
                .split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                confdirs.add(Path.of(dir));
            }
        }
        this.loader = new ConfigurationLoader(confdirs, keyword -> Optional.ofNullable(extensions.get(keyword)));
    }

    @Activate
    void activate() {
        if ("session".equals(property("upshot.mode", "system")) && host.pid() != 1) {
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
        try {
            watcher = ConfigurationWatcher.start(loader, this::configurationChanged);
            // an extension bound between the load and now would otherwise go unseen
            watcher.extensionsChanged();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "job files are not watched for changes: " + e.getMessage());
        }
        handleSignals();
        registrations.add(context.registerService(EventEmitter.class, new EmitterFactory(), null));
        registrations.add(context.registerService(JobControl.class,
                new EngineControl(engine, this::reloadConfiguration), new Hashtable<>()));
        engine.emit(Event.of("startup"));
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping and took it down first
            }
        }
        if (watcher != null) {
            watcher.close();
        }
        engine.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSource(EventSource source, ServiceReference<EventSource> reference) {
        engine.bindSource(source, reference.getBundle().getSymbolicName());
    }

    void unbindSource(EventSource source) {
        engine.unbindSource(source);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindExtension(StanzaExtension extension, Map<String, Object> properties) {
        for (String keyword : keywords(properties)) {
            extensions.put(keyword, extension);
        }
        extensionsChanged();
    }

    void unbindExtension(StanzaExtension extension, Map<String, Object> properties) {
        for (String keyword : keywords(properties)) {
            extensions.remove(keyword, extension);
        }
        extensionsChanged();
    }

    private void extensionsChanged() {
        ConfigurationWatcher current = watcher;
        if (current != null) {
            current.extensionsChanged();
        }
    }

    private static List<String> keywords(Map<String, Object> properties) {
        Object value = properties.get(StanzaExtension.KEYWORDS);
        if (value instanceof String keyword) {
            return List.of(keyword);
        }
        if (value instanceof String[] keywords) {
            return List.of(keywords);
        }
        return List.of();
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

    private static void report(List<Diagnostic> diagnostics) {
        for (Diagnostic diagnostic : diagnostics) {
            LOG.log(Level.WARNING, diagnostic.render());
        }
    }

    private void handleSignals() {
        boolean pid1 = Boolean.parseBoolean(property("upshot.pid1", "false")) || host.pid() == 1;
        onSignal(Signals.HUP, () -> reloadConfiguration());
        onSignal(Signals.TERM, this::shutdown);
        if (pid1) {
            onSignal(Signals.INT, () -> engine.emit(Event.of("control-alt-delete")));
            onSignal(SIGWINCH, () -> engine.emit(Event.of("keyboard-request")));
            onSignal(SIGPWR, () -> engine.emit(Event.of("power-status-changed")));
        } else {
            onSignal(Signals.INT, this::shutdown);
        }
    }

    private void onSignal(int signal, Runnable handler) {
        try {
            host.onSignal(signal, handler);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "signal " + Signals.name(signal) + " cannot be handled: " + e.getMessage());
        }
    }

    /** Stops every job (their stop events run in order), then the framework. */
    private void shutdown() {
        LOG.log(Level.INFO, "stopping every job");
        engine.stopAll().whenComplete((ok, error) -> {
            Thread stopper = new Thread(() -> {
                try {
                    context.getBundle(0).stop();
                } catch (BundleException | IllegalStateException e) {
                    LOG.log(Level.ERROR, "cannot stop the framework", e);
                }
            }, "upshot-shutdown");
            stopper.start();
        });
    }

    private String property(String key, String fallback) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String sessionConfdir(Map<String, String> env) {
        String config = env.getOrDefault("XDG_CONFIG_HOME", env.getOrDefault("HOME", "/tmp") + "/.config");
        return config + "/upshot";
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

    private static String sessionRuntimeDir(Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        return runtime != null ? runtime + "/upshot" : "/tmp/upshot-" + env.getOrDefault("USER", "session");
    }

    private static String sessionLogDir(Map<String, String> env) {
        String cache = env.getOrDefault("XDG_CACHE_HOME", env.getOrDefault("HOME", "/tmp") + "/.cache");
        return cache + "/upshot/log";
    }

    /** Gives each bundle its own emitter, so the engine's logs name who emitted what. */
    private final class EmitterFactory implements ServiceFactory<EventEmitter> {
        @Override
        public EventEmitter getService(Bundle bundle, ServiceRegistration<EventEmitter> registration) {
            return engine.emitterFor(bundle.getSymbolicName());
        }

        @Override
        public void ungetService(Bundle bundle, ServiceRegistration<EventEmitter> registration,
                EventEmitter service) {
            // nothing held per bundle
        }
    }
}
