package org.upshot.engine.internal.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.upshot.event.EventExpression;
import org.upshot.job.ProcessKind;
import org.upshot.process.ResourceLimit;
import org.upshot.process.Signals;
import org.upshot.spi.stanza.Readiness;

/**
 * A parsed job definition. Immutable; build one with {@link #builder(String, Path)}.
 *
 * @param name job name, {@code net/foo} for {@code CONFDIR/net/foo.conf}
 * @param file the {@code .conf} file
 * @param description {@code description}
 * @param author {@code author}
 * @param version {@code version}
 * @param usage {@code usage}
 * @param startOn {@code start on}, without extension conditions
 * @param stopOn {@code stop on}, without extension conditions
 * @param emits {@code emits}, accumulated
 * @param task {@code task}
 * @param respawn {@code respawn}
 * @param respawnLimit respawns allowed per interval; 0 is unlimited
 * @param respawnInterval the interval in seconds; 0 is unlimited
 * @param normalExit {@code normal exit}: exit codes, and signals as {@code signum << 8}
 * @param instance {@code instance}, unexpanded; empty for a singleton
 * @param env {@code env} entries in order, {@code KEY=VALUE} or a bare {@code KEY}
 * @param export {@code export} names
 * @param processes {@code exec}/{@code script} and the four hooks
 * @param killTimeout seconds between the kill signal and SIGKILL
 * @param startTimeout {@code start timeout}: seconds a spawned main process has to become
 *     ready before it is killed and the start fails; 0 waits for ever (Upstart's rule)
 * @param killSignal {@code kill signal}
 * @param reloadSignal {@code reload signal}
 * @param expect {@code expect}
 * @param console {@code console}; empty leaves it to the daemon's default
 * @param umask {@code umask}
 * @param nice {@code nice}
 * @param oomScore {@code oom score} (or legacy {@code oom}, converted)
 * @param limits {@code limit}, one per resource
 * @param chdir {@code chdir}
 * @param chroot {@code chroot}
 * @param setuid {@code setuid}
 * @param setgid {@code setgid}
 * @param apparmorLoad {@code apparmor load}
 * @param apparmorSwitch {@code apparmor switch}
 * @param cgroups {@code cgroup}, accumulated
 * @param debug {@code debug}
 * @param manual {@code manual} appeared after the last {@code start on}
 * @param extensions stanzas parsed by plugin extensions, in file order
 * @param needs {@code needs}, accumulated in file order: each job is started before this
 *     one and stops it when it stops
 */
public record JobClass(
        String name, Path file,
        Optional<String> description, Optional<String> author, Optional<String> version,
        Optional<String> usage,
        Optional<EventExpression> startOn, Optional<EventExpression> stopOn, List<String> emits,
        boolean task, boolean respawn, int respawnLimit, int respawnInterval, Set<Integer> normalExit,
        String instance, List<String> env, List<String> export,
        Map<ProcessKind, ProcessSpec> processes,
        int killTimeout, int startTimeout, int killSignal, int reloadSignal, Expect expect,
        Optional<ConsoleMode> console, OptionalInt umask, OptionalInt nice, OptionalInt oomScore,
        List<ResourceLimit> limits, Optional<String> chdir, Optional<String> chroot,
        Optional<String> setuid, Optional<String> setgid,
        Optional<String> apparmorLoad, Optional<String> apparmorSwitch, List<CgroupSetting> cgroups,
        boolean debug, boolean manual, List<ExtensionStanza> extensions, List<Need> needs) {

    public static final int DEFAULT_RESPAWN_LIMIT = 10;
    public static final int DEFAULT_RESPAWN_INTERVAL = 5;
    public static final int DEFAULT_KILL_TIMEOUT = 5;

    public JobClass {
        emits = List.copyOf(emits);
        normalExit = Set.copyOf(normalExit);
        env = List.copyOf(env);
        export = List.copyOf(export);
        processes = processes.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(processes));
        limits = List.copyOf(limits);
        cgroups = List.copyOf(cgroups);
        extensions = List.copyOf(extensions);
        needs = List.copyOf(needs);
    }

    /** A builder holding Upstart's defaults. */
    public static Builder builder(String name, Path file) {
        return new Builder(name, file);
    }

    /** A builder starting from this job, for {@code .override} files. */
    public Builder toBuilder() {
        Builder b = new Builder(name, file);
        b.description = description; b.author = author; b.version = version; b.usage = usage;
        b.startOn = startOn; b.stopOn = stopOn; b.emits.addAll(emits);
        b.task = task; b.respawn = respawn; b.respawnLimit = respawnLimit;
        b.respawnInterval = respawnInterval; b.normalExit.addAll(normalExit);
        b.instance = instance; b.env.addAll(env); b.export.addAll(export);
        b.processes.putAll(processes);
        b.killTimeout = killTimeout; b.startTimeout = startTimeout; b.killSignal = killSignal; b.reloadSignal = reloadSignal;
        b.expect = expect; b.console = console; b.umask = umask; b.nice = nice;
        b.oomScore = oomScore; b.limits.addAll(limits); b.chdir = chdir; b.chroot = chroot;
        b.setuid = setuid; b.setgid = setgid; b.apparmorLoad = apparmorLoad;
        b.apparmorSwitch = apparmorSwitch; b.cgroups.addAll(cgroups); b.debug = debug;
        b.manual = manual; b.extensions.addAll(extensions); b.needs.addAll(needs);
        return b;
    }

    /** {@code start on} or-ed with every extension stanza's start condition. */
    public Optional<EventExpression> fullStartOn() {
        Optional<EventExpression> out = startOn;
        for (ExtensionStanza stanza : extensions) {
            out = or(out, stanza.contribution().startOn());
        }
        return out;
    }

    /**
     * {@code stop on} or-ed with every extension stanza's stop condition and, for each
     * {@code needs B}, {@code stopping B}: stopping a needed job stops this one first
     * (the {@code stopping} event waits for it), as Upstart's own idiom would write it.
     */
    public Optional<EventExpression> fullStopOn() {
        Optional<EventExpression> out = stopOn;
        for (ExtensionStanza stanza : extensions) {
            out = or(out, stanza.contribution().stopOn());
        }
        for (String needed : neededJobs()) {
            out = or(out, Optional.of(new EventExpression.Match("stopping",
                    List.of(EventExpression.Argument.positional(needed)))));
        }
        return out;
    }

    /** The names {@code needs} lists, in file order, each once. */
    public List<String> neededJobs() {
        return needs.stream().map(Need::job).distinct().toList();
    }

    private static Optional<EventExpression> or(Optional<EventExpression> a, Optional<EventExpression> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? a : Optional.of(new EventExpression.Or(a.get(), b.get()));
    }

    /**
     * How instances are named, unexpanded: the {@code instance} stanza, else the first
     * template an extension contributes (one instance per occurrence), else empty: a
     * singleton.
     */
    public String instanceTemplate() {
        if (!instance.isEmpty()) {
            return instance;
        }
        for (ExtensionStanza stanza : extensions) {
            if (stanza.contribution().instance().isPresent()) {
                return stanza.contribution().instance().get();
            }
        }
        return "";
    }

    /** The readiness an extension stanza contributes (the first, if several), replacing {@code expect}. */
    public Optional<Readiness> readiness() {
        for (ExtensionStanza stanza : extensions) {
            if (stanza.contribution().readiness().isPresent()) {
                return stanza.contribution().readiness();
            }
        }
        return Optional.empty();
    }

    /** The main process, if the job has one. */
    public Optional<ProcessSpec> main() {
        return Optional.ofNullable(processes.get(ProcessKind.MAIN));
    }

    /** Mutable companion of {@link JobClass}; fields are set directly by the parser. */
    public static final class Builder {
        public final String name;
        public final Path file;
        public Optional<String> description = Optional.empty();
        public Optional<String> author = Optional.empty();
        public Optional<String> version = Optional.empty();
        public Optional<String> usage = Optional.empty();
        public Optional<EventExpression> startOn = Optional.empty();
        public Optional<EventExpression> stopOn = Optional.empty();
        public final List<String> emits = new ArrayList<>();
        public boolean task;
        public boolean respawn;
        public int respawnLimit = DEFAULT_RESPAWN_LIMIT;
        public int respawnInterval = DEFAULT_RESPAWN_INTERVAL;
        public final Set<Integer> normalExit = new LinkedHashSet<>();
        public String instance = "";
        public final List<String> env = new ArrayList<>();
        public final List<String> export = new ArrayList<>();
        public final Map<ProcessKind, ProcessSpec> processes = new EnumMap<>(ProcessKind.class);
        public int killTimeout = DEFAULT_KILL_TIMEOUT;
        public int startTimeout;
        public int killSignal = Signals.TERM;
        public int reloadSignal = Signals.HUP;
        public Expect expect = Expect.NONE;
        public Optional<ConsoleMode> console = Optional.empty();
        public OptionalInt umask = OptionalInt.empty();
        public OptionalInt nice = OptionalInt.empty();
        public OptionalInt oomScore = OptionalInt.empty();
        public final List<ResourceLimit> limits = new ArrayList<>();
        public Optional<String> chdir = Optional.empty();
        public Optional<String> chroot = Optional.empty();
        public Optional<String> setuid = Optional.empty();
        public Optional<String> setgid = Optional.empty();
        public Optional<String> apparmorLoad = Optional.empty();
        public Optional<String> apparmorSwitch = Optional.empty();
        public final List<CgroupSetting> cgroups = new ArrayList<>();
        public boolean debug;
        public boolean manual;
        public final List<ExtensionStanza> extensions = new ArrayList<>();
        public final List<Need> needs = new ArrayList<>();

        private Builder(String name, Path file) {
            this.name = name;
            this.file = file;
        }

        public JobClass build() {
            return new JobClass(name, file, description, author, version, usage, startOn, stopOn,
                    emits, task, respawn, respawnLimit, respawnInterval, normalExit, instance, env,
                    export, processes, killTimeout, startTimeout, killSignal, reloadSignal, expect, console, umask,
                    nice, oomScore, limits, chdir, chroot, setuid, setgid, apparmorLoad,
                    apparmorSwitch, cgroups, debug, manual, extensions, needs);
        }
    }
}
