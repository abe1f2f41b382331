package org.upshot.engine.internal.job;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.upshot.engine.internal.model.CgroupSetting;
import org.upshot.engine.internal.model.Expect;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.process.Cgroups;

/**
 * A cgroup v2 directory per run of the jobs that need one: forking daemons, which are
 * followed through it ({@link DaemonTracker}), and jobs with {@code cgroup CONTROLLER
 * KEY VALUE} settings, which are written into it before the main process joins. A setting
 * the machine does not allow (no cgroup v2 we may write, a controller bound to a v1
 * hierarchy) is reported once per job, with the reason, and the job runs without it.
 * Engine thread only.
 */
final class JobCgroups {

    private static final Logger LOG = System.getLogger(JobCgroups.class.getName());
    /** cgroup v1 names old job files use, and their v2 files. */
    private static final Map<String, String> V1_NAMES = Map.of("memory.limit_in_bytes", "memory.max",
            "memory.soft_limit_in_bytes", "memory.low", "memory.memsw.limit_in_bytes", "memory.swap.max");

    private final Optional<Cgroups> tree;
    private final Map<Job, Path> groups = new HashMap<>();
    /** Jobs whose settings could not be applied, already reported; forgotten when the definition changes. */
    private final Set<JobClass> reported = new HashSet<>();

    JobCgroups(Optional<Cgroups> tree) {
        this.tree = tree;
    }

    /** A fresh cgroup for the main process of {@code job}'s new run, with its settings; empty if it needs none or none can be made. */
    Optional<Path> groupFor(Job job) {
        JobClass jobClass = job.jobClass();
        boolean forks = jobClass.expect() == Expect.FORK || jobClass.expect() == Expect.DAEMON;
        boolean settings = jobClass.cgroups().stream().anyMatch(setting -> setting.key().isPresent());
        if (!forks && !settings) {
            return Optional.empty();
        }
        remove(job);
        if (tree.isEmpty()) {
            if (settings) {
                reportOnce(jobClass, "no cgroup v2 directory is writable here");
            }
            return Optional.empty();
        }
        Path group;
        try {
            group = tree.get().create(job.displayName().replace(' ', '_').replace("(", "").replace(")", ""));
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.WARNING, "cannot create a cgroup for " + job.displayName() + ": " + e.getMessage());
            return Optional.empty();
        }
        groups.put(job, group);
        for (CgroupSetting setting : jobClass.cgroups()) {
            if (setting.key().isPresent()) {
                apply(jobClass, group, setting);
            }
        }
        return Optional.of(group);
    }

    private void apply(JobClass jobClass, Path group, CgroupSetting setting) {
        String key = setting.key().get();
        String file = key.contains(".") ? key : setting.controller() + "." + key;
        try {
            tree.orElseThrow().apply(group, V1_NAMES.getOrDefault(file, file), setting.value().orElse(""));
        } catch (IOException e) {
            reportOnce(jobClass, e.getMessage());
        }
    }

    private void reportOnce(JobClass jobClass, String why) {
        if (reported.add(jobClass)) {
            LOG.log(Level.WARNING, jobClass.name() + ": cgroup settings not applied: " + why);
        }
    }

    /** The processes in the cgroup of {@code job}'s current run now; empty if the run has no cgroup. */
    Optional<List<Integer>> processes(Job job) {
        Path group = groups.get(job);
        return group == null ? Optional.empty() : Optional.of(tree.orElseThrow().pids(group));
    }

    /** The run is over: its (now empty) cgroup goes. */
    void remove(Job job) {
        Path group = groups.remove(job);
        if (group != null) {
            try {
                tree.orElseThrow().remove(group);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "cgroup " + group + " not removed: " + e.getMessage());
            }
        }
    }
}
