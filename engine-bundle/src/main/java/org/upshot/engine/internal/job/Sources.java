package org.upshot.engine.internal.job;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.upshot.job.JobView;
import org.upshot.spi.source.EventSource;

/**
 * The event sources the engine has bound, and the guard around every call into them:
 * an exception is logged with the source's bundle, the source is marked failed and
 * never called again, and the engine goes on. Engine thread only.
 */
final class Sources {

    private static final Logger LOG = System.getLogger(Sources.class.getName());

    private final Engine engine;
    private final Map<EventSource, Bound> bound = new IdentityHashMap<>();

    private static final class Bound {
        final String bundle;
        boolean failed;

        Bound(String bundle) {
            this.bundle = bundle;
        }
    }

    Sources(Engine engine) {
        this.engine = engine;
    }

    void bind(EventSource source, String bundle, Collection<JobView> jobs) {
        Bound state = new Bound(bundle);
        bound.put(source, state);
        if (guard(source, state, "start", () -> source.start(engine.emitterFor(nameOf(source))))) {
            guard(source, state, "jobsChanged", () -> source.jobsChanged(jobs));
        }
    }

    void unbind(EventSource source) {
        Bound state = bound.remove(source);
        if (state != null && !state.failed) {
            guard(source, state, "stop", source::stop);
        }
    }

    void jobsChanged(Collection<JobView> jobs) {
        for (Map.Entry<EventSource, Bound> entry : List.copyOf(bound.entrySet())) {
            if (!entry.getValue().failed) {
                guard(entry.getKey(), entry.getValue(), "jobsChanged", () -> entry.getKey().jobsChanged(jobs));
            }
        }
    }

    void stopAll() {
        for (EventSource source : List.copyOf(bound.keySet())) {
            unbind(source);
        }
    }

    /** Whether a bound source failed (for status and tests). */
    boolean failed(EventSource source) {
        Bound state = bound.get(source);
        return state != null && state.failed;
    }

    private interface Call {
        void run() throws Exception;
    }

    private boolean guard(EventSource source, Bound state, String what, Call call) {
        try {
            call.run();
            return true;
        } catch (Exception | LinkageError e) {
            state.failed = true;
            LOG.log(Level.ERROR, "event source " + nameOf(source) + " from bundle " + state.bundle
                    + " failed in " + what + "; it is disabled", e);
            return false;
        }
    }

    private static String nameOf(EventSource source) {
        try {
            return source.name();
        } catch (RuntimeException e) {
            return source.getClass().getName();
        }
    }
}
