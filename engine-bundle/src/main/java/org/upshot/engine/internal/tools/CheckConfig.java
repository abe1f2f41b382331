package org.upshot.engine.internal.tools;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.upshot.engine.internal.config.Configuration;
import org.upshot.engine.internal.config.ConfigurationLoader;
import org.upshot.engine.internal.config.JobFiles;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.parse.Diagnostic;
import org.upshot.engine.internal.parse.JobParser;
import org.upshot.engine.internal.parse.ParseResult;
import org.upshot.event.EventExpression;

/**
 * {@code check-config}: prints every error in the job files, then, as Upstart's
 * {@code initctl check-config} did, each job whose {@code start on}/{@code stop on}
 * waits for an event nothing emits (no job's {@code emits}, no engine event, no source:
 * {@link KnownEvents}) or for a job that does not exist. Only errors make the exit
 * status non-zero; unknown events are advice.
 */
final class CheckConfig {

    private static final Set<String> JOB_EVENTS = Set.of("starting", "started", "stopping", "stopped");

    private CheckConfig() {}

    static int run(List<Path> confdirs, List<Path> files, PrintStream out) {
        Configuration config = new ConfigurationLoader(confdirs, OfflineExtensions::lookup).load();
        List<Diagnostic> diagnostics = new ArrayList<>(config.diagnostics());
        Map<String, JobClass> jobs = new TreeMap<>(config.jobs());
        Set<String> checked = new LinkedHashSet<>(files.isEmpty() ? jobs.keySet() : Set.of());
        JobParser parser = new JobParser(OfflineExtensions::lookup);
        for (Path file : files) {
            String name = JobFiles.jobName(file.toAbsolutePath().getParent(), file.toAbsolutePath());
            Path override = file.resolveSibling(name + JobFiles.OVERRIDE);
            boolean isConf = file.getFileName().toString().endsWith(JobFiles.CONF);
            ParseResult result = JobFiles.load(parser, name, file,
                    isConf && Files.isRegularFile(override) ? Optional.of(override) : Optional.empty());
            diagnostics.addAll(result.diagnostics());
            result.job().ifPresent(job -> {
                jobs.put(name, job);
                checked.add(name);
            });
        }
        diagnostics.sort(Comparator.comparing((Diagnostic d) -> d.file().toString())
                .thenComparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column));
        diagnostics.forEach(d -> out.println(d.render()));

        List<String> emitted = jobs.values().stream().flatMap(j -> j.emits().stream()).toList();
        for (String name : checked.stream().sorted().toList()) {
            JobClass job = jobs.get(name);
            Set<String> problems = new LinkedHashSet<>();
            job.startOn().ifPresent(e -> unsatisfied(e, "start on", jobs, emitted, problems));
            job.stopOn().ifPresent(e -> unsatisfied(e, "stop on", jobs, emitted, problems));
            if (!problems.isEmpty()) {
                out.println(name);
                problems.forEach(p -> out.println("  " + p));
            }
        }
        return diagnostics.stream().anyMatch(Diagnostic::isError) ? ConfigTool.FAILED : ConfigTool.OK;
    }

    private static void unsatisfied(EventExpression expression, String stanza, Map<String, JobClass> jobs,
            List<String> emitted, Set<String> problems) {
        if (expression instanceof EventExpression.Or or) {
            unsatisfied(or.left(), stanza, jobs, emitted, problems);
            unsatisfied(or.right(), stanza, jobs, emitted, problems);
        } else if (expression instanceof EventExpression.And and) {
            unsatisfied(and.left(), stanza, jobs, emitted, problems);
            unsatisfied(and.right(), stanza, jobs, emitted, problems);
        } else {
            EventExpression.Match match = (EventExpression.Match) expression;
            String event = match.event();
            if (!KnownEvents.covers(event) && emitted.stream().noneMatch(p -> Glob.matches(p, event))) {
                problems.add(stanza + ": unknown event " + event);
            }
            if (JOB_EVENTS.contains(event)) {
                jobArgument(match).filter(job -> !isPattern(job) && !jobs.containsKey(job))
                        .ifPresent(job -> problems.add(stanza + ": unknown job " + job));
            }
        }
    }

    /** The job a job event names: its first positional value or its {@code JOB=} value. */
    private static Optional<String> jobArgument(EventExpression.Match match) {
        for (EventExpression.Argument argument : match.arguments()) {
            if (argument.isPositional() || ("JOB".equals(argument.key()) && !argument.negated())) {
                return Optional.of(argument.pattern());
            }
        }
        return Optional.empty();
    }

    private static boolean isPattern(String value) {
        return value.chars().anyMatch(c -> "*?[$".indexOf(c) >= 0);
    }
}
