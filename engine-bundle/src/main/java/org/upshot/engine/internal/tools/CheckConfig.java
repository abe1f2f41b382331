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
import org.upshot.engine.internal.plugin.PluginCatalog;

/**
 * {@code check-config}: prints every error in the job files (plugin stanzas parsed by
 * the plugins' own extensions, from their jars), then, as Upstart's
 * {@code initctl check-config} did, each job whose {@code start on}/{@code stop on}
 * waits for an event nothing emits or for a job that does not exist ({@link EventCoverage}). Only errors make the exit
 * status non-zero; unknown events are advice.
 */
final class CheckConfig {

    private CheckConfig() {}

    static int run(List<Path> confdirs, PluginCatalog plugins, List<Path> files, PrintStream out) {
        Configuration config = new ConfigurationLoader(confdirs, plugins).load();
        List<Diagnostic> diagnostics = new ArrayList<>(config.diagnostics());
        Map<String, JobClass> jobs = new TreeMap<>(config.jobs());
        Set<String> checked = new LinkedHashSet<>(files.isEmpty() ? jobs.keySet() : Set.of());
        JobParser parser = new JobParser(plugins);
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

        List<String> emitted = new ArrayList<>(plugins.declaredEvents());
        jobs.values().forEach(job -> emitted.addAll(job.emits()));
        EventCoverage coverage = new EventCoverage(jobs.keySet(), emitted);
        for (String name : checked.stream().sorted().toList()) {
            JobClass job = jobs.get(name);
            Set<String> problems = new LinkedHashSet<>();
            job.fullStartOn().ifPresent(e -> problems.addAll(coverage.problems("start on", e)));
            job.fullStopOn().ifPresent(e -> problems.addAll(coverage.problems("stop on", e)));
            if (!problems.isEmpty()) {
                out.println(name);
                problems.forEach(p -> out.println("  " + p));
            }
        }
        return diagnostics.stream().anyMatch(Diagnostic::isError) ? ExitStatus.FAILED : ExitStatus.OK;
    }
}
