package org.upshot.engine.internal.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.upshot.engine.internal.api.JobControl.Definition;
import org.upshot.event.EventExpression;
import org.upshot.event.EventExpression.And;
import org.upshot.event.EventExpression.Argument;
import org.upshot.event.EventExpression.Match;
import org.upshot.event.EventExpression.Or;
import org.upshot.job.JobView;

class ConfigReportTest {

    private static JobView job(String name, List<String> emits, EventExpression startOn, EventExpression stopOn) {
        return new JobView(name, Path.of(name + ".conf"), Optional.empty(), Optional.ofNullable(startOn),
                Optional.ofNullable(stopOn), emits, Map.of(), List.of());
    }

    // Upstart's test: start on A and (B FOO=BAR or starting C x=y)
    private static final EventExpression UPSTART_EXAMPLE = new And(new Match("A", List.of()),
            new Or(new Match("B", List.of(Argument.equal("FOO", "BAR"))),
                    new Match("starting", List.of(Argument.positional("C"), Argument.equal("x", "y")))));

    @Test
    void showConfigPrintsFullyBracketedConditionsAndOperands() {
        List<Object> shown = ConfigReport.show(List.of(new Definition(
                job("foo", List.of("A", "B"), UPSTART_EXAMPLE, null), List.of(), "")));
        assertEquals("[{name=foo, emits=[A, B], startOn=(A and (B FOO=BAR or starting C x=y)), "
                + "startOnOperands=[A (job:, env:), B (job:, env: FOO=BAR), starting (job: C, env: x=y)], "
                + "needs=[], instance=, stanzas={}}]",
                shown.toString());
    }

    @Test
    void showConfigCarriesNeedsInstanceTemplateAndExtensionStanzas() {
        JobView web = new JobView("web", Path.of("web.conf"), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), Map.of("socket", List.of(List.of("tcp", "127.0.0.1:$PORT"))), List.of());
        assertEquals("[{name=web, emits=[], needs=[db], instance=$PORT, "
                + "stanzas={socket=[[tcp, 127.0.0.1:$PORT]]}}]",
                ConfigReport.show(List.of(new Definition(web, List.of("db"), "$PORT"))).toString());
    }

    @Test
    void checkConfigReportsUnknownEventsAndJobs() {
        JobView wibbler = job("wibbler", List.of(), new Match("wibble", List.of()),
                new Match("stopped", List.of(Argument.equal("JOB", "beano"))));
        JobView fine = job("fine", List.of("ready"), new Or(new Match("startup", List.of()),
                new Match("net-device-added", List.of())), new Match("ready", List.of()));
        List<JobView> all = List.of(wibbler, fine);
        // net-device-added is known only from a plugin's declared glob, passed in by the caller
        assertEquals("[{name=wibbler, problems=[start on: unknown event wibble, stop on: unknown job beano]}]",
                ConfigReport.check(all, all, List.of("*-device-added")).toString());
        assertEquals("[{name=wibbler, problems=[stop on: unknown job beano]}]",
                ConfigReport.check(all, all, List.of("*-device-added", "wib*")).toString());
        assertEquals("[{name=wibbler, problems=[start on: unknown event wibble, stop on: unknown job beano]}, "
                + "{name=fine, problems=[start on: unknown event net-device-added]}]",
                ConfigReport.check(all, all, List.of()).toString());
    }
}
