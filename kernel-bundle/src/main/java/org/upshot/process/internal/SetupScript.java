package org.upshot.process.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessAttributes;
import org.upshot.process.ResourceLimit;
import org.upshot.process.SpawnRequest;

/**
 * The shell preamble that applies what {@code posix_spawn} cannot set, run as
 * {@code /bin/sh -c PREAMBLE upshot-setup ARGV...} and ending in {@code exec "$@"},
 * so that the pid never changes. See the package essay for the order of the steps
 * and the failure protocol on the report descriptor.
 */
final class SetupScript {

    static final String SHELL = "/bin/sh";
    static final String ARG0 = "upshot-setup";
    /** The exit status of a child whose set-up failed. */
    static final int SETUP_FAILED = 126;
    /** Marks a failure line on the report descriptor: {@code !step errno}. */
    static final char FAILURE_MARK = '!';

    /** Variables that name the process they are meant for, which only the child knows. */
    private static final List<String> OWN_PID_VARIABLES = List.of("LISTEN_PID", "WATCHDOG_PID");

    private final StringBuilder script = new StringBuilder();
    private final int reportFd;

    private SetupScript(int reportFd) {
        this.reportFd = reportFd;
    }

    /** True when {@code request} needs the preamble; plain spawns exec their command directly. */
    static boolean needed(SpawnRequest request) {
        ProcessAttributes a = request.attributes();
        return request.stopBeforeExec() || a.umask().isPresent() || a.nice().isPresent() || a.idleIoClass()
                || a.oomScore().isPresent() || !a.limits().isEmpty() || a.chroot().isPresent()
                || a.user().isPresent() || a.group().isPresent() || a.cgroup().isPresent()
                || !ownPidVariables(request).isEmpty();
    }

    /**
     * Rejects values the kernel would refuse, so that they fail before anything is
     * spawned with the step's name and EINVAL or ENOENT, instead of as a tool's message.
     */
    static void validate(ProcessAttributes a) throws PosixException {
        if (a.umask().isPresent() && (a.umask().getAsInt() & ~0777) != 0) {
            throw new PosixException("umask", LibC.EINVAL, String.format("%o", a.umask().getAsInt()));
        }
        if (a.nice().isPresent() && (a.nice().getAsInt() < -20 || a.nice().getAsInt() > 19)) {
            throw new PosixException("nice", LibC.EINVAL, a.nice().getAsInt() + " is not in -20..19");
        }
        if (a.oomScore().isPresent() && Math.abs(a.oomScore().getAsInt()) > 1000) {
            throw new PosixException("oom_score_adj", LibC.EINVAL,
                    a.oomScore().getAsInt() + " is not in -1000..1000");
        }
        for (ResourceLimit limit : a.limits()) {
            if (limit.hard() != ResourceLimit.UNLIMITED && Long.compareUnsigned(limit.soft(), limit.hard()) > 0) {
                throw new PosixException("limit", LibC.EINVAL, limit.resource().label() + " soft limit "
                        + value(limit.soft()) + " is above the hard limit " + limit.hard());
            }
        }
        if (a.cgroup().isPresent() && !Files.isRegularFile(a.cgroup().get().resolve("cgroup.procs"))) {
            throw new PosixException("cgroup", LibC.ENOENT, a.cgroup().get() + " is not a cgroup");
        }
    }

    /**
     * The preamble for {@code request}.
     *
     * @param reportFd the child's descriptor on which failures are written
     * @param identity the resolved setuid/setgid target
     */
    static String build(SpawnRequest request, Identity identity, int reportFd) {
        SetupScript s = new SetupScript(reportFd);
        ProcessAttributes a = request.attributes();
        s.line("upshot_fail(){ echo \"" + FAILURE_MARK + "$1 $2\" >&" + reportFd + "; exit " + SETUP_FAILED + "; }");
        a.umask().ifPresent(mask -> s.line("umask " + String.format("%04o", mask & 07777)));
        if (!a.limits().isEmpty()) {
            List<String> words = new ArrayList<>(List.of("prlimit", "--pid", "$$"));
            for (ResourceLimit limit : a.limits()) {
                words.add("--" + limit.resource().label() + "=" + value(limit.soft()) + ":" + value(limit.hard()));
            }
            s.step("limit", 0, String.join(" ", words));
        }
        a.oomScore().ifPresent(score -> s.step("oom_score_adj", 0, "echo " + score + " >/proc/$$/oom_score_adj"));
        a.nice().ifPresent(nice -> s.step("nice", 0, "renice -n " + nice + " -p $$ >/dev/null"));
        if (a.idleIoClass()) {
            s.step("ioprio_set", 0, "ionice -c 3 -p $$");
        }
        a.cgroup().ifPresent(group -> s.step("cgroup", 0,
                "echo $$ >" + quote(group.resolve("cgroup.procs").toString())));
        for (String variable : ownPidVariables(request)) {
            s.line(variable + "=$$; export " + variable);
        }
        s.restorePwd(request.environment());
        Path root = a.chroot().orElse(null);
        if (root != null) {
            s.line("[ -d " + quote(root.toString()) + " ] || upshot_fail chroot " + LibC.ENOENT);
        } else {
            s.line("command -v \"$1\" >/dev/null || upshot_fail exec " + LibC.ENOENT);
        }
        s.line("exec " + reportFd + ">&-");
        if (request.stopBeforeExec()) {
            s.line("kill -STOP $$");
        }
        s.line("exec " + s.switchCommand(root, request.workingDirectory(), identity) + "\"$@\"");
        return s.script.toString();
    }

    private static List<String> ownPidVariables(SpawnRequest request) {
        return OWN_PID_VARIABLES.stream()
                .filter(variable -> request.environment().stream().anyMatch(e -> e.startsWith(variable + "=")))
                .toList();
    }

    private void step(String name, int errno, String command) {
        line("{ " + command + "; } 2>&" + reportFd + " || upshot_fail " + name + " " + errno);
    }

    private void line(String text) {
        script.append(text).append('\n');
    }

    /** dash exports PWD at start-up; put the environment back as the job gave it. */
    private void restorePwd(List<String> environment) {
        String given = environment.stream().filter(e -> e.startsWith("PWD=")).findFirst().orElse(null);
        line(given == null ? "unset PWD" : "PWD=" + quote(given.substring(4)) + "; export PWD");
    }

    /**
     * The words before {@code "$@"} in the final exec: {@code chroot} (which also
     * switches user, since nothing outside the new root can run after it), a shell in
     * the new root to change directory, or {@code setpriv} alone.
     */
    private String switchCommand(Path root, Path workingDirectory, Identity identity) {
        StringBuilder words = new StringBuilder();
        if (root != null) {
            words.append("chroot ");
            if (identity.changesUser()) {
                words.append("--userspec=").append(identity.uid()).append(':').append(identity.gid())
                        .append(" --groups=").append(identity.groupList()).append(' ');
            } else if (identity.changesGroup()) {
                words.append("--userspec=:").append(identity.gid()).append(' ');
            }
            words.append(quote(root.toString())).append(' ');
            if (!workingDirectory.toString().equals("/")) {
                words.append(SHELL).append(" -c 'cd \"$0\" && exec \"$@\"' ")
                        .append(quote(workingDirectory.toString())).append(' ');
            }
        } else if (identity.changesUser()) {
            words.append("setpriv --reuid=").append(identity.uid()).append(" --regid=").append(identity.gid())
                    .append(" --groups=").append(identity.groupList()).append(" -- ");
        } else if (identity.changesGroup()) {
            words.append("setpriv --regid=").append(identity.gid()).append(" --keep-groups -- ");
        }
        return words.toString();
    }

    private static String value(long limit) {
        return limit == ResourceLimit.UNLIMITED ? "unlimited" : Long.toString(limit);
    }

    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
