package org.upshot.engine.internal.control;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.upshot.event.EventExpression;
import org.upshot.job.JobView;

/**
 * {@code show-config} and {@code check-config}, computed from the loaded jobs' views
 * so that they describe exactly what the engine runs.
 */
final class ConfigReport {

    /** Job events: their first positional argument names a job. */
    private static final Set<String> JOB_EVENTS = Set.of("starting", "started", "stopping", "stopped");

    /**
     * Events no job file declares but that always exist: the engine's own, the
     * compatibility tools' and the event sources' families. Globs as in {@code emits}.
     */
    private static final List<String> BUILT_IN_EVENTS = List.of(
            "startup", "starting", "started", "stopping", "stopped", "control-alt-delete",
            "keyboard-request", "power-status-changed", "session-end", "runlevel", "*-device-added",
            "*-device-changed", "*-device-removed", "*-device-online", "*-device-offline",
            "*-device-move", "*-device-bind", "*-device-unbind", ":sys:*", "socket", "file", "dbus");

    private ConfigReport() {
    }

    /**
     * One entry per job: {@code name}, {@code emits}, and when present {@code startOn}
     * and {@code stopOn} (fully bracketed) plus the {@code -e} per-operand forms
     * {@code startOnOperands}, {@code stopOnOperands}.
     */
    static List<Object> show(List<JobView> jobs) {
        List<Object> out = new ArrayList<>();
        for (JobView job : jobs) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", job.name());
            json.put("emits", new ArrayList<Object>(job.emits()));
            condition(json, "startOn", job.startOn());
            condition(json, "stopOn", job.stopOn());
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
        for (EventExpression.Match match : matches(expression.get(), new ArrayList<>())) {
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
        List<String> known = new ArrayList<>(BUILT_IN_EVENTS);
        known.addAll(ignored);
        Set<String> jobNames = new HashSet<>();
        for (JobView job : jobs) {
            known.addAll(job.emits());
            jobNames.add(job.name());
        }
        List<Pattern> knownEvents = new ArrayList<>();
        for (String glob : known) {
            knownEvents.add(glob(glob));
        }
        List<Object> out = new ArrayList<>();
        for (JobView job : selected) {
            List<Object> problems = new ArrayList<>();
            problems(job.startOn(), "start on", knownEvents, jobNames, problems);
            problems(job.stopOn(), "stop on", knownEvents, jobNames, problems);
            if (!problems.isEmpty()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("name", job.name());
                json.put("problems", problems);
                out.add(json);
            }
        }
        return out;
    }

    private static void problems(Optional<EventExpression> expression, String stanza,
            List<Pattern> knownEvents, Set<String> jobNames, List<Object> problems) {
        if (expression.isEmpty()) {
            return;
        }
        for (EventExpression.Match match : matches(expression.get(), new ArrayList<>())) {
            if (JOB_EVENTS.contains(match.event())) {
                String job = firstPositional(match);
                if (job != null && !job.contains("$") && !jobNames.contains(job)
                        && !isGlob(job)) {
                    problems.add(stanza + ": unknown job " + job);
                }
            } else if (knownEvents.stream().noneMatch(p -> p.matcher(withoutFailed(match.event())).matches())) {
                problems.add(stanza + ": unknown event " + match.event());
            }
        }
    }

    /** The job a job event names: its first positional value or its {@code JOB=} value. */
    private static String firstPositional(EventExpression.Match match) {
        for (EventExpression.Argument argument : match.arguments()) {
            if (argument.key() == null || ("JOB".equals(argument.key()) && !argument.negated())) {
                return argument.pattern();
            }
        }
        return null;
    }

    private static List<EventExpression.Match> matches(EventExpression expression,
            List<EventExpression.Match> into) {
        if (expression instanceof EventExpression.Or or) {
            matches(or.left(), into);
            matches(or.right(), into);
        } else if (expression instanceof EventExpression.And and) {
            matches(and.left(), into);
            matches(and.right(), into);
        } else {
            into.add((EventExpression.Match) expression);
        }
        return into;
    }

    /** {@code JOB/failed} exists whenever {@code JOB} does. */
    private static String withoutFailed(String event) {
        return event.endsWith("/failed") ? event.substring(0, event.length() - "/failed".length()) : event;
    }

    private static boolean isGlob(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }

    /** A shell glob as a regex: {@code *}, {@code ?} and bracket classes. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        regex.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, end);
                        if (set.startsWith("!")) {
                            set = "^" + set.substring(1);
                        }
                        regex.append('[').append(set.replace("\\", "\\\\")).append(']');
                        i = end;
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
