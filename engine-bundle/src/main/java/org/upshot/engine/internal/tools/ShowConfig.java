package org.upshot.engine.internal.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.upshot.engine.internal.config.Configuration;
import org.upshot.engine.internal.config.ConfigurationLoader;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.parse.Diagnostic;
import org.upshot.engine.internal.parse.JobWriter;
import org.upshot.engine.internal.plugin.PluginCatalog;

/**
 * {@code show-config}: prints jobs as parsed, in canonical job-file syntax. Each job is
 * preceded by a comment line {@code # JOB (FILE)}; parsing the text after it gives an
 * equal job. Errors in the files go to standard error.
 */
final class ShowConfig {

    private ShowConfig() {}

    static int run(List<Path> confdirs, PluginCatalog plugins, Optional<String> only, PrintStream out,
            PrintStream err) {
        Configuration config = new ConfigurationLoader(confdirs, plugins).load();
        config.diagnostics().forEach(d -> err.println(d.render()));
        Map<String, JobClass> jobs = config.jobs();
        if (only.isPresent() && !jobs.containsKey(only.get())) {
            err.println("show-config: unknown job: " + only.get());
            return ExitStatus.FAILED;
        }
        boolean first = true;
        for (JobClass job : jobs.values()) {
            if (only.isPresent() && !only.get().equals(job.name())) {
                continue;
            }
            if (!first) {
                out.println();
            }
            first = false;
            out.println("# " + job.name() + " (" + job.file() + ")");
            out.print(JobWriter.write(job));
        }
        return config.diagnostics().stream().anyMatch(Diagnostic::isError) && only.isEmpty()
                ? ExitStatus.FAILED : ExitStatus.OK;
    }
}
