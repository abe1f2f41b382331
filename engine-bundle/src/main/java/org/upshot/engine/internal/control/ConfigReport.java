package org.upshot.engine.internal.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.upshot.engine.internal.api.JobControl.Definition;
import org.upshot.engine.internal.tools.EventCoverage;
import org.upshot.event.EventExpression;
import org.upshot.job.JobView;

/**
 * {@code show-config} and {@code check-config}, computed from the loaded jobs' views
 * so that they describe exactly what the engine runs.
 */
final class ConfigReport {

    /** Job events: their first positional argument names a job. */
    private static final Set<String> JOB_EVENTS = Set.of("starting", "started", "stopping", "stopped");

    private ConfigReport() {
    }

    /**
     * One entry per job: {@code name}, {@code emits}, and when present {@code startOn}
     * and {@code stopOn} (fully bracketed) plus the {@code -e} per-operand forms
     * {@code startOnOperands}, {@code stopOnOperands}; then {@code needs}, {@code instance}
     * (the unexpanded template, {@code ""} for a singleton) and {@code stanzas}, the
     * extension stanzas by keyword with each occurrence's arguments.
     */
    static List<Object> show(List<Definition> definitions) {
        List<Object> out = new ArrayList<>();
        for (Definition definition : definitions) {
            JobView job = definition.view();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", job.name());
            json.put("emits", new ArrayList<Object>(job.emits()));
            condition(json, "startOn", job.startOn());
            condition(json, "stopOn", job.stopOn());
            json.put("needs", new ArrayList<Object>(definition.needs()));
            json.put("instance", definition.instance());
            Map<String, Object> stanzas = new TreeMap<>();
            for (Map.Entry<String, List<List<String>>> stanza : job.stanzas().entrySet()) {
                List<Object> occurrences = new ArrayList<>();
                for (List<String> arguments : stanza.getValue()) {
                    occurrences.add(new ArrayList<Object>(arguments));
                }
                stanzas.put(stanza.getKey(), occurrences);
            }
            json.put("stanzas", stanzas);
            out.add(json);
        }
        return out;
    }

    private static void condition(Map<String, Object> json, String field,
            Optional<EventExpression> expression) {
        if (expression.isEmpty()) {
            return;
        }
        json.put(field, expression.get().toString());
        List<Object> operands = new ArrayList<>();
        for (EventExpression.Match match : expression.get().matches()) {
            operands.add(operand(match));
        }
        json.put(field + "Operands", operands);
    }

    /** {@code starting (job: C, env: x=y)}, {@code B (job:, env: FOO=BAR)}. */
    private static String operand(EventExpression.Match match) {
        String job = "";
        List<String> env = new ArrayList<>();
        for (EventExpression.Argument argument : match.arguments()) {
            if (job.isEmpty() && argument.key() == null && JOB_EVENTS.contains(match.event())) {
                job = argument.pattern();
            } else {
                env.add(argument.toString());
            }
        }
        return match.event() + " (job:" + (job.isEmpty() ? "" : " " + job) + ", env:"
                + (env.isEmpty() ? "" : " " + String.join(" ", env)) + ")";
    }

    /**
     * The jobs whose conditions can never be met, each with its problems as
     * {@code start on: unknown event wibble} / {@code stop on: unknown job bar}.
     *
     * @param selected the jobs to report on
     * @param jobs every loaded job, whose {@code emits} and names count as known
     * @param ignored event names (globs) the caller knows exist
     */
    static List<Object> check(List<JobView> selected, List<JobView> jobs, List<String> ignored) {
        List<String> emitted = new ArrayList<>(ignored);
        List<String> jobNames = new ArrayList<>();
        for (JobView job : jobs) {
            emitted.addAll(job.emits());
            jobNames.add(job.name());
        }
        EventCoverage coverage = new EventCoverage(jobNames, emitted);
        List<Object> out = new ArrayList<>();
        for (JobView job : selected) {
            List<Object> problems = new ArrayList<>();
            job.startOn().ifPresent(e -> problems.addAll(coverage.problems("start on", e)));
            job.stopOn().ifPresent(e -> problems.addAll(coverage.problems("stop on", e)));
            if (!problems.isEmpty()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("name", job.name());
                json.put("problems", problems);
                out.add(json);
            }
        }
        return out;
    }
}
