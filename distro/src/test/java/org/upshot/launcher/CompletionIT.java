package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.BootedDaemon;

/**
 * The shipped bash completion (issue 19) against a booted daemon: bash sources
 * {@code share/bash-completion/completions/initctl}, each case sets
 * {@code COMP_WORDS}/{@code COMP_CWORD} as bash would, calls the function and prints
 * {@code COMPREPLY}: commands, options, job names from the daemon, {@code KEY=} from the
 * instance stanza, the events jobs emit, for initctl and its aliases.
 */
class CompletionIT {

    private static final String SCRIPT = """
            source "$COMPLETION"
            complete -p initctl start stop restart reload status emit
            ask() {
                COMP_WORDS=("$@")
                COMP_CWORD=$(( $# - 1 ))
                _upshot_initctl
                printf '%s|' "$*"
                [ ${#COMPREPLY[@]} -eq 0 ] || printf ' %s' "${COMPREPLY[@]}"
                printf '\\n'
            }
            ask initctl st
            ask initctl --no-w
            ask initctl graph --format s
            ask initctl start ''
            ask start we
            ask start web ''
            ask initctl status web H
            ask restart --no-wait db ''
            ask emit ''
            ask initctl graph db ''
            ask initctl log-priority w
            """;

    @TempDir
    Path work;

    @Test
    @Timeout(120)
    void completesCommandsOptionsJobsAndInstanceKeysFromTheDaemon() throws Exception {
        try (BootedDaemon daemon = BootedDaemon.in(work.resolve("daemon"))
                .job("db", "emits db-ready\nexec sleep 600\n")
                .job("web", "instance ${HOST}-$PORT\nexec sleep 600\n")
                .job("worker", "exec sleep 600\n").boot()) {
            daemon.awaitStopped("worker");
            Path script = Files.writeString(work.resolve("cases.sh"), SCRIPT);
            Path distro = BootedDaemon.distro();
            Map<String, String> environment = new HashMap<>(CommandResult.clientEnvironment(daemon));
            environment.put("COMPLETION", distro.resolve("share/bash-completion/completions/initctl").toString());
            // the aliases resolve to the distribution's links, as on an installed system
            environment.put("PATH", distro.resolve("bin") + ":" + System.getenv("PATH"));
            CommandResult run = CommandResult.run(environment, List.of("bash", "--norc", "--noprofile", script.toString()));
            assertEquals(new CommandResult(0, """
                    complete -F _upshot_initctl initctl
                    complete -F _upshot_initctl start
                    complete -F _upshot_initctl stop
                    complete -F _upshot_initctl restart
                    complete -F _upshot_initctl reload
                    complete -F _upshot_initctl status
                    complete -F _upshot_initctl emit
                    initctl st| start stop status
                    initctl --no-w| --no-wait
                    initctl graph --format s| svg
                    initctl start | db web worker
                    start we| web
                    start web | HOST= PORT=
                    initctl status web H| HOST=
                    restart --no-wait db |
                    emit | db-ready
                    initctl graph db | db web worker
                    initctl log-priority w| warn
                    """), run);
        }
    }
}
