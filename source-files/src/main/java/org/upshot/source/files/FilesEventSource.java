package org.upshot.source.files;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.upshot.event.Event;
import org.upshot.event.EventEmitter;
import org.upshot.job.JobView;
import org.upshot.source.files.internal.JobPatterns;
import org.upshot.source.files.internal.PathWatcher;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.source.SourceContext;
import org.upshot.spi.source.SourceDeclaration;

/**
 * The files event source: {@code file FILE=PATTERN EVENT=create|modify|delete MATCH=PATH}
 * for every pattern the loaded jobs mention in {@code start on}, {@code stop on} or a
 * {@code watch} stanza. How it watches, announces and coalesces is described in
 * {@link org.upshot.source.files.internal}.
 */
@Component(service = EventSource.class, configurationPid = FilesConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FilesConfig.class)
@SourceDeclaration(name = "files", events = "file FILE EVENT MATCH")
public final class FilesEventSource implements EventSource {

    private static final Logger LOG = System.getLogger("org.upshot.source.files");

    private final PathWatcher.Settings settings;
    private final PathWatcher.Registrar registrar;
    private volatile PathWatcher watcher;

    @Activate
    public FilesEventSource(FilesConfig config) {
        this(settings(config), PathWatcher.DIRECT);
    }

    /** For tests: explicit settings, and a registrar that may inject faults. */
    FilesEventSource(PathWatcher.Settings settings, PathWatcher.Registrar registrar) {
        this.settings = settings;
        this.registrar = registrar;
    }

    static PathWatcher.Settings settings(FilesConfig config) {
        return new PathWatcher.Settings(Duration.ofMillis(Math.max(0, config.coalesce_millis())),
                Math.max(1, config.events_per_window()), Duration.ofSeconds(Math.max(1, config.retry_seconds())),
                Path.of(System.getProperty("user.home")));
    }

    @Override
    public void start(SourceContext context) throws IOException {
        EventEmitter emitter = context.emitter();
        watcher = PathWatcher.start(settings, event -> send(emitter, event), registrar);
    }

    private static void send(EventEmitter emitter, Event event) {
        LOG.log(Level.DEBUG, "emitting {0}", event);
        emitter.emit(event).whenComplete((result, failure) -> {
            if (failure != null) {
                LOG.log(Level.DEBUG, "event " + event + " failed", failure);
            }
        });
    }

    @Override
    public void jobsChanged(Collection<JobView> jobs) {
        PathWatcher current = watcher;
        if (current != null) {
            current.update(JobPatterns.collect(jobs, settings.home()));
        }
    }

    @Override
    public void stop() {
        PathWatcher current = watcher;
        watcher = null;
        if (current != null) {
            current.close();
        }
    }

    /** The running watcher, for tests in this package. */
    PathWatcher watcher() {
        return watcher;
    }
}
