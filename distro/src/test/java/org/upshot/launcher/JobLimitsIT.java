package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.BootedDaemon;

/**
 * {@code cgroup} and {@code apparmor switch} in the booted distribution (issue 15): a
 * setting the machine allows is in the job's cgroup file; one it does not allow is said
 * once per job, with the reason, and the job runs without it.
 */
class JobLimitsIT {

    @TempDir
    Path work;

    @Test
    @Timeout(90)
    void cgroupSettingsAreWrittenWhereAllowedAndReportedOnceWhereNot() throws Exception {
        Optional<Path> v2 = cgroup2Mount();
        boolean writable = ProcTable.runningAsRoot() && v2.isPresent();
        if (!writable) {
            System.out.println("JobLimitsIT: no cgroup v2 hierarchy root may write here; only the report is checked");
        }
        boolean allVisible = true;
        try (BootedDaemon daemon = BootedDaemon.in(work).job("limited", """
                cgroup memory max 50M
                cgroup pids pids.max 64
                exec sleep 600
                """).boot()) {
            daemon.awaitStopped("limited");
            for (int run = 0; run < 2; run++) {
                assertEquals(0, CommandResult.initctl(daemon, "start", "limited").status());
                long pid = daemon.awaitRunning("limited");
                Optional<Path> group = writable ? groupOf(pid, v2.get()) : Optional.empty();
                allVisible &= group.isPresent() && read(group.get().resolve("memory.max")).equals("52428800")
                        && read(group.get().resolve("pids.max")).equals("64");
                assertEquals(0, CommandResult.initctl(daemon, "stop", "limited").status());
            }
            long reports = Pattern.compile("limited: cgroup settings not applied: ").matcher(daemon.log()).results()
                    .count();
            // either in the job's cgroup files, or said once (not once per start), never neither
            assertEquals(allVisible ? 0 : 1, reports, daemon::logTail);
            if (!allVisible) {
                System.out.println("JobLimitsIT: cgroup settings not applicable here: " + daemon.logLine(
                        "limited: cgroup settings not applied: .*", 0).orElse(""));
            }
        }
    }

    /**
     * A setting of a controller cgroup v2 offers here is in the job's own cgroup file: memory
     * where v2 has it, else hugetlb (on a hybrid machine v2 may offer nothing else).
     */
    @Test
    @Timeout(90)
    void aSettingOfAControllerV2OffersIsInTheJobsCgroupFile() throws Exception {
        Optional<Path> v2 = cgroup2Mount();
        List<String> offered = v2.isPresent() ? List.of(read(v2.get().resolve("cgroup.controllers")).split("\\s+"))
                : List.of();
        String[] setting = offered.contains("memory") ? new String[] {"memory max 50M", "memory.max", "52428800"}
                : offered.contains("hugetlb") ? new String[] {"hugetlb hugetlb.2MB.max 4194304", "hugetlb.2MB.max",
                        "4194304"} : null;
        if (!ProcTable.runningAsRoot() || setting == null) {
            Prerequisites.skip(JobLimitsIT.class, "needs root and a cgroup v2 controller (offered: " + offered + ")");
        }
        try (BootedDaemon daemon = BootedDaemon.in(work).job("limited", "cgroup " + setting[0] + "\nexec sleep 600\n")
                .boot()) {
            daemon.awaitStopped("limited");
            assertEquals(0, CommandResult.initctl(daemon, "start", "limited").status());
            Path group = groupOf(daemon.awaitRunning("limited"), v2.get()).orElseThrow();
            assertTrue(group.getFileName().toString().startsWith("job-limited"), group::toString);
            assertEquals(setting[2], read(group.resolve(setting[1])), () -> setting[1] + " of " + group);
            assertEquals(0, CommandResult.initctl(daemon, "stop", "limited").status());
        }
    }

    @Test
    @Timeout(90)
    void apparmorSwitchIsReportedOnceWhereAppArmorIsOff() throws Exception {
        boolean enabled = Files.isReadable(Path.of("/sys/module/apparmor/parameters/enabled"))
                && Files.readString(Path.of("/sys/module/apparmor/parameters/enabled")).strip().equals("Y");
        Assumptions.assumeFalse(enabled, "AppArmor is enabled here: the switch itself would need a loaded profile");
        try (BootedDaemon daemon = BootedDaemon.in(work).job("confined", """
                apparmor switch /usr/bin/confined-test
                exec sleep 600
                """).boot()) {
            daemon.awaitStopped("confined");
            for (int run = 0; run < 2; run++) {
                assertEquals(0, CommandResult.initctl(daemon, "start", "confined").status());
                daemon.awaitRunning("confined");
                assertEquals(0, CommandResult.initctl(daemon, "stop", "confined").status());
            }
            long reports = Pattern.compile("confined: apparmor switch /usr/bin/confined-test not applied: AppArmor is"
                    + " not enabled here").matcher(daemon.log()).results().count();
            assertEquals(1, reports, daemon::logTail);
        }
    }

    /** Where the cgroup2 file system is mounted, if it is. */
    private static Optional<Path> cgroup2Mount() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (separator > 0 && fields[separator + 1].equals("cgroup2")) {
                return Optional.of(Path.of(fields[4]));
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The v2 group of process {@code pid}, from {@code /proc/PID/cgroup}. */
    private static Optional<Path> groupOf(long pid, Path mount) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
            Matcher v2 = Pattern.compile("0::/(.*)").matcher(line);
            if (v2.matches()) {
                return Optional.of(mount.resolve(v2.group(1)));
            }
        }
        return Optional.empty();
    }
}
