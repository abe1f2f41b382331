package org.upshot.engine.internal.job;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.upshot.engine.internal.match.Environ;
import org.upshot.engine.internal.model.ConsoleMode;
import org.upshot.engine.internal.model.ExtensionStanza;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.model.ProcessSpec;
import org.upshot.event.EventDescriptor;
import org.upshot.event.RunPriority;
import org.upshot.job.ProcessKind;
import org.upshot.process.ProcessAttributes;
import org.upshot.process.SpawnRequest;
import org.upshot.process.Stdio;
import org.upshot.spi.stanza.InheritedDescriptor;

/**
 * Turns a job's definition and environment into the {@link SpawnRequest} for one of
 * its processes: command line, environment, console, descriptors and attributes.
 */
final class ProcessSetup {

    private static final Logger LOG = System.getLogger(ProcessSetup.class.getName());
    /** The niceness of a {@link RunPriority#BACKGROUND} run whose job sets none. */
    private static final int BACKGROUND_NICE = 10;
    /** Upstart's {@code SHELL_CHARS}: an {@code exec} line with any of these runs under sh. */
    private static final String SHELL_CHARS = "~`!$^&*()=|\\{}[];\"'<>?";
    private static final Path APPARMOR_ENABLED = Path.of("/sys/module/apparmor/parameters/enabled");

    private final EngineSettings settings;
    /** Whether AppArmor confines processes here; read once. */
    private final boolean apparmorEnabled;
    /** Jobs told once that their {@code apparmor} stanza is not applied here. */
    private final Set<JobClass> apparmorReported = new HashSet<>();

    ProcessSetup(EngineSettings settings) {
        this.settings = settings;
        this.apparmorEnabled = apparmorEnabled();
    }

    private static boolean apparmorEnabled() {
        try {
            return Files.readString(APPARMOR_ENABLED).strip().equals("Y");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    SpawnRequest request(Job job, ProcessKind kind, Optional<Path> cgroup) {
        JobClass jobClass = job.jobClass();
        ProcessSpec spec = jobClass.processes().get(kind);
        List<String> environment = environment(job, kind);
        List<Integer> fds = new ArrayList<>();
        Stdio stdio = stdio(job);
        if (kind == ProcessKind.MAIN) {
            List<String> names = new ArrayList<>();
            for (ExtensionStanza stanza : jobClass.extensions()) {
                for (InheritedDescriptor descriptor : stanza.contribution().descriptors()) {
                    if (descriptor.descriptor() >= 0) {
                        fds.add(descriptor.descriptor());
                        names.add(descriptor.name());
                    }
                }
            }
            for (EventDescriptor descriptor : job.runDescriptors()) {
                fds.add(descriptor.descriptor());
                names.add(descriptor.name());
                if (descriptor.standardIo()) {
                    stdio = new Stdio.Connection(descriptor.descriptor(), stdio);
                }
            }
            if (!fds.isEmpty()) {
                passDescriptors(environment, names);
            }
        }
        List<String> argv = confined(jobClass, kind, command(spec));
        Path workingDirectory = Path.of(jobClass.chdir().orElse("/"));
        boolean background = job.runPriority() == RunPriority.BACKGROUND;
        OptionalInt nice = jobClass.nice().isPresent() || !background ? jobClass.nice() : OptionalInt.of(BACKGROUND_NICE);
        // without a umask stanza the child keeps the daemon's (the launcher sets 022):
        // applying it costs every spawn an extra exec of the set-up shell
        ProcessAttributes attributes = new ProcessAttributes(jobClass.umask(), nice,
                jobClass.oomScore(), jobClass.limits(), jobClass.chroot().map(Path::of),
                jobClass.setuid(), jobClass.setgid(), cgroup, background);
        return new SpawnRequest(argv, environment, workingDirectory, stdio, fds, attributes, false);
    }

    /**
     * {@code apparmor switch PROFILE}: the main process execs under the profile, as
     * Upstart's {@code aa_change_onexec} did ({@code exec PROFILE} written to the process's
     * {@code attr/exec}, the profile expanded by the shell from the job's environment).
     * Where AppArmor is not enabled the job runs unconfined, and that is said once per job.
     */
    private List<String> confined(JobClass jobClass, ProcessKind kind, List<String> argv) {
        if (kind != ProcessKind.MAIN || jobClass.apparmorSwitch().isEmpty()) {
            return argv;
        }
        if (!apparmorEnabled) {
            if (apparmorReported.add(jobClass)) {
                LOG.log(Level.WARNING, jobClass.name() + ": apparmor switch " + jobClass.apparmorSwitch().get()
                        + " not applied: AppArmor is not enabled here (" + APPARMOR_ENABLED + ")");
            }
            return argv;
        }
        String profile = jobClass.apparmorSwitch().get().replaceAll("([\"\\\\`])", "\\\\$1");
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c",
                "printf 'exec %s' \"" + profile + "\" >/proc/$$/attr/exec && exec \"$@\"", "upshot-apparmor"));
        wrapped.addAll(argv);
        return wrapped;
    }

    /** systemd's and Upstart's variables for descriptors passed from 3 on. */
    private static void passDescriptors(List<String> environment, List<String> names) {
        StringBuilder numbers = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            numbers.append(i == 0 ? "" : " ").append(3 + i);
        }
        Environ.set(environment, "LISTEN_FDS=" + names.size());
        Environ.set(environment, "LISTEN_FDNAMES=" + String.join(":", names));
        Environ.set(environment, "UPSTART_FDS=" + numbers);
        // the launcher fills in the pid that finally runs the command
        Environ.set(environment, "LISTEN_PID=");
    }

    /** exec with shell metacharacters and scripts run under {@code /bin/sh -e}; else split words. */
    static List<String> command(ProcessSpec spec) {
        if (spec.script()) {
            return List.of("/bin/sh", "-e", "-c", spec.command());
        }
        String command = spec.command().strip();
        for (int i = 0; i < command.length(); i++) {
            if (SHELL_CHARS.indexOf(command.charAt(i)) >= 0) {
                return List.of("/bin/sh", "-e", "-c", "exec " + command);
            }
        }
        return List.of(command.split("\\s+"));
    }

    private List<String> environment(Job job, ProcessKind kind) {
        List<String> all = new ArrayList<>(job.env().size() + 8);
        all.addAll(job.env());
        if (kind == ProcessKind.PRE_STOP || kind == ProcessKind.POST_STOP) {
            Environ.setAll(all, job.stopEnv());
        }
        Environ.set(all, "UPSTART_JOB=" + job.jobClass().name());
        Environ.set(all, "UPSTART_INSTANCE=" + job.instance());
        Environ.set(all, "UPSHOT_SOCKET=" + settings.controlSocket());
        return all;
    }

    private Stdio stdio(Job job) {
        ConsoleMode console = job.jobClass().console().orElse(settings.defaultConsole());
        return switch (console) {
            case NONE -> new Stdio.Null();
            case OUTPUT -> new Stdio.Console(false);
            case OWNER -> new Stdio.Console(true);
            case LOG -> new Stdio.Log(logFile(job.jobClass().name(), job.instance()));
        };
    }

    /** {@code LOGDIR/JOB.log}, instances {@code JOB-INSTANCE.log}, every {@code /} as {@code _}. */
    Path logFile(String name, String instance) {
        String base = instance.isEmpty() ? name : name + "-" + instance;
        return settings.logDir().resolve(base.replace('/', '_') + ".log");
    }
}
