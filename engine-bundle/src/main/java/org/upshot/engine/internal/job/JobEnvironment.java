package org.upshot.engine.internal.job;

import java.util.ArrayList;
import java.util.List;
import org.upshot.engine.internal.match.Environ;
import org.upshot.engine.internal.match.ExpansionException;
import org.upshot.engine.internal.model.ExtensionStanza;
import org.upshot.engine.internal.model.JobClass;

/**
 * The job-environment table ({@code initctl set-env} and friends) and how an
 * instance's environment and name are made from it. Engine thread only.
 */
final class JobEnvironment {

    private final EngineSettings settings;
    private final List<String> global = new ArrayList<>();

    JobEnvironment(EngineSettings settings) {
        this.settings = settings;
        reset();
    }

    /** The global table itself, for {@code set-env}/{@code unset-env} to edit in place. */
    List<String> global() {
        return global;
    }

    /** Back to the daemon's base table ({@code PATH}, {@code TERM}). */
    void reset() {
        global.clear();
        global.addAll(settings.baseEnvironment());
    }

    /** A new instance's table: the global table, then {@code env} stanzas, then extension variables. */
    List<String> forInstance(JobClass jobClass) {
        List<String> env = new ArrayList<>(global);
        for (String entry : jobClass.env()) {
            if (entry.indexOf('=') < 0) {
                String inherited = settings.daemonEnvironment().get(entry);
                if (inherited != null) {
                    Environ.set(env, entry + "=" + inherited);
                }
            } else {
                Environ.set(env, entry);
            }
        }
        for (ExtensionStanza stanza : jobClass.extensions()) {
            stanza.contribution().environment().forEach((k, v) -> Environ.set(env, k + "=" + v));
        }
        return env;
    }

    /**
     * The instance name {@code env} gives: the job's instance template expanded.
     *
     * @throws UnknownParameter if the template names a variable {@code env} lacks
     */
    static String instanceName(JobClass jobClass, List<String> env) throws UnknownParameter {
        String template = jobClass.instanceTemplate();
        try {
            return Environ.expand(template, env);
        } catch (ExpansionException e) {
            throw new UnknownParameter(e.variable().isEmpty() ? template : e.variable());
        }
    }

    /** An {@code instance} template names a variable the environment does not hold. */
    static final class UnknownParameter extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownParameter(String variable) {
            super(variable, null, false, false);
        }
    }
}
