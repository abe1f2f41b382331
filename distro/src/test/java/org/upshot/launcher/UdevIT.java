package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.control.Command;
import org.upshot.control.Protocol;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;
import org.upshot.testkit.InstanceStatus;

/**
 * The udev source in the booted distribution, on real kernel uevents: veth pairs made and
 * deleted with {@code ip link}, {@code change} and synthetic {@code add} written to
 * {@code /sys/class/net/lo/uevent}, a pair present before boot, a burst that overflows a
 * tiny receive buffer, and a job file from the corpus run as its users ran it. Each test
 * boots its own daemon with its jobs in place, so that nothing one test starts reacts to
 * another's devices.
 *
 * <p>Needs root (creating links, writing {@code uevent}); otherwise every test is skipped
 * with the reason. Another process on a shared machine may make links of its own at the
 * same time: every link here is named {@code uvt...}, every job waits for
 * {@code INTERFACE=uvt*} (or {@code lo}) only, the corpus job too, and only the links a
 * test made are deleted, in {@link #cleanUp} whatever happened.
 */
@Timeout(120)
class UdevIT {
    private static final Duration WAIT = BootedDaemon.WAIT;
    private static final Path SYS_NET = Path.of("/sys/class/net");
    private static final Path LO_UEVENT = SYS_NET.resolve("lo/uevent");
    private static final String CORPUS_JOB =
            "corpus/upstart-jobs/Bravedragon0313__RIng_api__etc_init_network-interface.conf";
    /** The overflow test's burst: pairs {@code uvt3_N}/{@code uvt3pN}, 1,000 interfaces. */
    private static final int BURST_PAIRS = 500;
    /** The receive buffer asked for in the overflow test; the kernel doubles it for its bookkeeping. */
    private static final int TINY_BUFFER = 4096;
    /** How many {@code ip -batch} processes delete links at once. */
    private static final int DELETE_BATCHES = 4;
    private static final Pattern OVERFLOW = Pattern.compile(
            "uevents were lost \\(receive buffer overflow\\); a rescan of \\S+ found (\\d+) added and (\\d+) removed");

    @TempDir
    Path work;

    private DaemonProcess daemon;
    /** Every link this test asked for (one end of each veth pair), deleted in {@link #cleanUp}. */
    private final List<String> links = new ArrayList<>();

    @BeforeEach
    void needRoot() {
        Assumptions.assumeTrue(ProcTable.runningAsRoot(),
                "skipped: creating veth links and writing " + LO_UEVENT + " need root");
        Assumptions.assumeTrue(Files.isDirectory(SYS_NET), "skipped: no " + SYS_NET + " (sysfs) here");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            deleteLinks(links);
        }
    }

    @Test
    void eachEndOfAVethPairRunsItsOwnInstanceUntilThePairIsDeleted() throws Exception {
        boot(Map.of("per-device", """
                start on net-device-added INTERFACE=uvt*
                stop on net-device-removed INTERFACE=$INTERFACE
                instance $INTERFACE
                exec sleep 1000
                """), UnaryOperator.identity());

        addVeth("uvt1a", "uvt1b");
        Map<String, Long> pids = awaitRunningInstances("per-device", Set.of("uvt1a", "uvt1b"));
        Map<String, Long> status = new TreeMap<>();
        for (InstanceStatus instance : daemon.status("per-device")) {
            status.put(instance.instance() + " " + instance.goalAndState(), instance.mainPid().orElse(0));
        }
        assertEquals(Map.of("uvt1a start/running", pids.get("uvt1a"), "uvt1b start/running", pids.get("uvt1b")),
                status, "status per-device");
        for (Map.Entry<String, Long> instance : pids.entrySet()) {
            String name = instance.getKey();
            long pid = instance.getValue();
            assertEquals("sleep", ProcTable.process(pid).command(), "the main process of " + name);
            String environ = environ(pid);
            for (String variable : List.of("INTERFACE=" + name, "KERNEL=" + name, "DEVPATH=/devices/virtual/net/"
                    + name, "SUBSYSTEM=net", "ACTION=add", "UPSTART_EVENTS=net-device-added",
                    "UPSTART_INSTANCE=" + name, "IFINDEX=" + Files.readString(SYS_NET.resolve(name + "/ifindex"))
                            .strip())) {
                assertTrue(environ.contains("\n" + variable + "\n"), name + "'s main process lacks " + variable
                        + ":" + environ);
            }
            assertFalse(environ.contains("\nCOLDPLUG="), "a live event, not the start-up scan:" + environ);
        }

        // the status says where device events come from and what the source let through
        Pattern counted = Pattern.compile("\tdevice events: (kernel uevents|udev's monitor)[^;]*; (\\d+) seen,"
                + " (\\d+) for jobs, the rest dropped");
        Await.until(WAIT, () -> {
            Matcher m = counted.matcher(statusText("per-device"));
            return m.find() && Long.parseLong(m.group(3)) >= 2 && Long.parseLong(m.group(2)) >= Long.parseLong(m.group(3));
        }, () -> "the source's line under per-device: " + statusText("per-device"));

        deleteVeth("uvt1a"); // its peer goes with it
        daemon.awaitStopped("per-device");
        Await.until(WAIT, () -> pids.values().stream().allMatch(pid -> ProcTable.process(pid) == null),
                () -> "the instances' processes gone from /proc: " + pids + "\nlog:\n" + daemon.logTail());
    }

    @Test
    void loopbackChangeAndSyntheticAddArriveAsTheirEvents() throws Exception {
        Path changed = work.resolve("changed");
        Path added = work.resolve("added");
        String uuid = UUID.randomUUID().toString();
        boot(Map.of("lo-changed", """
                task
                start on net-device-changed INTERFACE=lo
                exec echo "$UPSTART_EVENTS $ACTION $INTERFACE $DEVPATH $SUBSYSTEM" >> %s
                """.formatted(changed),
                // SYNTH_UUID=?* : the start-up scan's lo (no SYNTH_UUID) does not match
                "lo-synthetic-add", """
                task
                start on net-device-added INTERFACE=lo SYNTH_UUID=?*
                exec echo "$UPSTART_EVENTS $ACTION $INTERFACE $SYNTH_UUID" >> %s
                """.formatted(added)), UnaryOperator.identity());

        Files.writeString(LO_UEVENT, "change");
        awaitLine(changed, "net-device-changed change lo /devices/virtual/net/lo net");

        Files.writeString(LO_UEVENT, "add " + uuid);
        awaitLine(added, "net-device-added add lo " + uuid);
    }

    @Test
    void aPairPresentBeforeBootIsAnnouncedWithColdplug() throws Exception {
        addVeth("uvt2a", "uvt2b");
        boot(Map.of("coldplugged", """
                start on net-device-added INTERFACE=uvt2a
                exec sleep 1000
                """), UnaryOperator.identity());

        long pid = daemon.awaitRunning("coldplugged");
        String environ = environ(pid);
        for (String variable : List.of("COLDPLUG=1", "INTERFACE=uvt2a", "KERNEL=uvt2a",
                "DEVPATH=/devices/virtual/net/uvt2a", "SUBSYSTEM=net", "ACTION=add",
                "UPSTART_EVENTS=net-device-added")) {
            assertTrue(environ.contains("\n" + variable + "\n"), "the main process lacks " + variable + ":" + environ);
        }
    }

    @Test
    void aBurstThatOverflowsATinyReceiveBufferLosesNoInterface() throws Exception {
        Path record = work.resolve("interfaces");
        boot(Map.of("burst", """
                task
                start on net-device-added INTERFACE=uvt3*
                instance $INTERFACE
                exec echo "$INTERFACE ${RESCAN:-live}" >> %s
                """.formatted(record)),
                builder -> builder.javaOptions("-Dupshot.udev.receive.buffer.bytes=" + TINY_BUFFER));
        daemon.awaitLog("device events from .*, receive buffer " + TINY_BUFFER + " bytes$");

        Set<String> expected = new TreeSet<>();
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < BURST_PAIRS; i++) {
            String name = "uvt3_" + i;
            String peer = "uvt3p" + i;
            expected.addAll(List.of(name, peer));
            batch.append("link add ").append(name).append(" type veth peer name ").append(peer).append('\n');
        }
        assertAbsent(expected);
        int mark = daemon.logMark();
        long started = System.nanoTime();
        Path batchFile = Files.writeString(work.resolve("add.batch"), batch);
        for (int i = 0; i < BURST_PAIRS; i++) {
            links.add("uvt3_" + i);
        }
        CommandResult added = CommandResult.run("ip", "-batch", batchFile.toString());
        assertEquals(0, added.status(), added.output());

        Await.until(Duration.ofSeconds(45), () -> recorded(record).keySet().equals(expected),
                () -> "all " + expected.size() + " interfaces recorded; missing: " + missing(expected, record)
                        + "\nlog:\n" + daemon.logTail());
        long millis = (System.nanoTime() - started) / 1_000_000;
        Map<String, List<String>> seen = recorded(record);
        List<int[]> overflows = overflows(mark);
        assertFalse(overflows.isEmpty(), "the burst overflowed the " + TINY_BUFFER + "-byte buffer, so that the rescan"
                + " was what found the interfaces; log:\n" + daemon.logTail());
        int rescanAdded = overflows.stream().mapToInt(counts -> counts[0]).sum();
        long byRescan = seen.values().stream().filter(how -> how.contains("1")).count();
        long twice = seen.values().stream().filter(how -> how.size() > 1).count();
        assertTrue(rescanAdded > 0, "the rescans found devices");
        assertTrue(byRescan > 0, "some interface came from a rescan (RESCAN=1)");
        System.out.printf("UdevIT burst: %d interfaces in %d ms; %d overflows, the rescans found %d added devices;"
                + " %d interfaces started by a rescan's event, %d by their own; %d recorded twice%n", seen.size(),
                millis, overflows.size(), rescanAdded, byRescan, seen.size() - byRescan, twice);
    }

    @Test
    void theCorpusNetworkInterfaceJobRunsItsPreStartAndPostStopForANewInterface() throws Exception {
        Path corpus = Path.of(System.getProperty("upshot.shared.dir", "/work/shared")).resolve(CORPUS_JOB);
        assertTrue(Files.isRegularFile(corpus), "the shared corpus job " + corpus);
        String text = Files.readString(corpus);
        Path checked = Files.createDirectories(work.resolve("check"));
        Files.writeString(checked.resolve("network-interface.conf"), text);
        CommandResult check = CommandResult.run(DaemonProcess.DISTRO.resolve("bin/upshot").toString(),
                "check-config", "--confdir", checked.toString());
        assertEquals(0, check.status(), check.output());
        assertEquals("", check.output().strip(), "no diagnostics for the corpus job as it is");

        // One change to the job: 'start on net-device-added' waits for our links only. As
        // it is, it would start for every interface the start-up scan and the kernel
        // announce: lo, eth0, and the links other tests on this machine make. Where
        // ifupdown is installed its post-stop's 'ifdown --force eth0' would take the
        // network down at the daemon's shutdown. What the job runs, ifup, ifdown, ifconfig
        // and initctl, is moreover found first among stubs that record their call and
        // the environment of the shell that made it, and touch nothing; only
        // 'mkdir -p /run/network' is real.
        String start = "\nstart on net-device-added\n";
        assertEquals(1, text.split(start, -1).length - 1, "one '" + start.strip() + "' line in " + corpus);
        String ours = text.replace(start, "\nstart on net-device-added INTERFACE=uvt*\n");
        Path calls = work.resolve("calls");
        Path stubs = stubs(calls);
        boot(Map.of("network-interface", ours),
                builder -> builder.environment("PATH", stubs + ":" + System.getenv("PATH")));
        assertFalse(daemon.logLine("network-interface\\.conf:\\d+", 0).isPresent(), daemon.logTail());

        int mark = daemon.logMark();
        addVeth("uvt4a", "uvt4b");
        daemon.awaitLog("^.*network-interface \\(uvt4a\\) goal changed from stop to start$", mark);
        awaitRunningInstances("network-interface", Set.of("uvt4a", "uvt4b"));
        awaitLine(calls, "ifup INTERFACE=uvt4a --allow auto uvt4a");
        awaitLine(calls, "ifup INTERFACE=uvt4a --allow hotplug uvt4a");
        // the pre-start's own /proc/PID/environ, saved by the first ifup it ran
        Matcher preStart = Pattern.compile("network-interface \\(uvt4a\\) pre-start process \\((\\d+)\\)")
                .matcher(daemon.logLine("network-interface \\(uvt4a\\) pre-start process \\(\\d+\\)", mark)
                        .orElseThrow(() -> new AssertionError("no pre-start pid logged:\n" + daemon.logTail())));
        assertTrue(preStart.find());
        Path environ = calls.resolveSibling("environ-" + preStart.group(1));
        assertTrue(Files.isRegularFile(environ), "the pre-start (" + preStart.group(1) + ") ran ifup: " + environ);
        String preStartEnv = "\n" + Files.readString(environ);
        for (String variable : List.of("INTERFACE=uvt4a", "UPSTART_JOB=network-interface", "UPSTART_INSTANCE=uvt4a",
                "UPSTART_EVENTS=net-device-added", "DEVPATH=/devices/virtual/net/uvt4a", "ACTION=add")) {
            assertTrue(preStartEnv.contains("\n" + variable + "\n"), "the pre-start lacks " + variable + ":"
                    + preStartEnv);
        }

        deleteVeth("uvt4a");
        awaitLine(calls, "ifdown INTERFACE=uvt4a --force --allow auto uvt4a");
        awaitLine(calls, "ifdown INTERFACE=uvt4a --force --allow hotplug uvt4a");
        Await.until(WAIT, () -> instances("network-interface").stream().noneMatch(i -> i.instance().startsWith("uvt4")),
                () -> "network-interface (uvt4a) and (uvt4b) gone: " + daemon.describe("network-interface"));
        assertTrue(lines(calls).stream().allMatch(line -> line.contains(" INTERFACE=uvt4a ")
                || line.contains(" INTERFACE=uvt4b ")), "only our links' instances ran: " + lines(calls));
    }

    // ---- the daemon ---------------------------------------------------------------------

    /**
     * Boots a daemon with {@code jobs} in its job directory, and waits until each job that
     * waits for a device event shows where those come from: the source has its filter.
     */
    private void boot(Map<String, String> jobs, UnaryOperator<BootedDaemon.Builder> options) throws IOException {
        Path conf = Files.createDirectories(work.resolve("conf"));
        for (Map.Entry<String, String> job : jobs.entrySet()) {
            Files.writeString(conf.resolve(job.getKey() + ".conf"), job.getValue());
        }
        daemon = DaemonProcess.start(work, options);
        daemon.awaitLog(DaemonProcess.BOOTED);
        for (String job : jobs.keySet()) {
            Await.until(WAIT, () -> notes(job).stream().anyMatch(note -> note.startsWith("device events: ")),
                    () -> job + " shows 'device events: ...'; notes: " + notes(job) + "\nlog:\n" + daemon.logTail());
        }
    }

    /** The lines event sources show under {@code job} in {@code status}; empty if the daemon does not answer yet. */
    private List<String> notes(String job) {
        try {
            Map<?, ?> status = (Map<?, ?>) daemon.request(Command.STATUS, Map.of(Protocol.F_JOB, job))
                    .get(Protocol.F_JOB);
            return ((List<?>) status.get("notes")).stream().map(String::valueOf).toList();
        } catch (IOException | BootedDaemon.Refused e) {
            return List.of();
        }
    }

    private List<InstanceStatus> instances(String job) {
        try {
            return daemon.list().getOrDefault(job, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code job} has each of {@code names} start/running with a main process; their pids. */
    private Map<String, Long> awaitRunningInstances(String job, Set<String> names) {
        Map<String, Long> pids = new TreeMap<>();
        Await.until(WAIT, () -> {
            pids.clear();
            for (InstanceStatus instance : instances(job)) {
                if (names.contains(instance.instance()) && instance.goalAndState().equals("start/running")) {
                    pids.put(instance.instance(), instance.mainPid().orElse(0));
                }
            }
            return pids.keySet().equals(names);
        }, () -> job + " " + names + " start/running; status: " + daemon.describe(job) + "\nlog:\n"
                + daemon.logTail());
        return Map.copyOf(pids);
    }

    /** Each overflow warning logged after {@code mark}: the devices its rescan found added and removed. */
    private List<int[]> overflows(int mark) {
        String log = daemon.log();
        Matcher m = OVERFLOW.matcher(log).region(Math.min(mark, log.length()), log.length());
        List<int[]> found = new ArrayList<>();
        while (m.find()) {
            found.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
        }
        return found;
    }

    // ---- links ------------------------------------------------------------------------

    /** {@code ip link add NAME type veth peer name PEER}; the pair is deleted after the test. */
    /** {@code initctl status JOB}'s output. */
    private String statusText(String job) {
        try {
            return daemon.initctl("status", job).output();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void addVeth(String name, String peer) throws Exception {
        assertAbsent(Set.of(name, peer));
        links.add(name);
        CommandResult result = CommandResult.run("ip", "link", "add", name, "type", "veth", "peer", "name", peer);
        assertEquals(0, result.status(), result.output());
    }

    /** {@code ip link del NAME}: the pair goes. */
    private void deleteVeth(String name) throws Exception {
        CommandResult result = CommandResult.run("ip", "link", "del", name);
        assertEquals(0, result.status(), result.output());
        links.remove(name);
    }

    /** A link of ours that is there already was left by a run that was killed: say so, touch nothing. */
    private static void assertAbsent(Set<String> names) {
        List<String> there = names.stream().filter(name -> Files.exists(SYS_NET.resolve(name))).sorted().toList();
        assertTrue(there.isEmpty(), "links " + there + " exist already (left by a killed run? 'ip link del NAME')");
    }

    /**
     * Deletes those of {@code names} that exist with {@code ip -batch}, in four batches at
     * once: deleting a link waits for the kernel's grace periods, which overlap between
     * processes (500 pairs: 9 s in one batch, 5 s in four).
     */
    private static void deleteLinks(List<String> names) throws Exception {
        List<String> there = names.stream().filter(name -> Files.exists(SYS_NET.resolve(name))).toList();
        names.clear();
        if (there.isEmpty()) {
            return;
        }
        int batches = Math.min(DELETE_BATCHES, there.size());
        ExecutorService deleters = Executors.newFixedThreadPool(batches);
        List<Path> files = new ArrayList<>();
        try {
            List<Future<CommandResult>> results = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                StringBuilder batch = new StringBuilder();
                for (int i = b; i < there.size(); i += batches) {
                    batch.append("link del ").append(there.get(i)).append('\n');
                }
                Path file = Files.writeString(Files.createTempFile("uvt-del", ".batch"), batch);
                files.add(file);
                results.add(deleters.submit(() -> CommandResult.run("ip", "-force", "-batch", file.toString())));
            }
            for (Future<CommandResult> result : results) {
                CommandResult done = result.get(60, TimeUnit.SECONDS);
                assertEquals(0, done.status(), done.output());
            }
        } finally {
            deleters.shutdownNow();
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
        List<String> left = there.stream().filter(name -> Files.exists(SYS_NET.resolve(name))).toList();
        assertTrue(left.isEmpty(), "links not deleted: " + left);
    }

    // ---- what the jobs left ---------------------------------------------------------------

    /** The process's environment, one {@code KEY=VALUE} per line, with a newline before the first too. */
    private static String environ(long pid) throws IOException {
        return "\n" + new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8)
                .replace('\0', '\n');
    }

    /** The whole lines in {@code file} (not one being written); none if it is not there yet. */
    private static List<String> lines(Path file) {
        try {
            String text = Files.readString(file);
            return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitLine(Path file, String line) {
        Await.until(WAIT, () -> lines(file).contains(line), () -> "'" + line + "' in " + file + ": " + lines(file)
                + "\nlog:\n" + daemon.logTail());
    }

    /** The burst job's record: each interface, and how each of its events came ({@code live}, {@code 1}: rescan). */
    private static Map<String, List<String>> recorded(Path record) {
        Map<String, List<String>> seen = new HashMap<>();
        for (String line : lines(record)) {
            String[] words = line.split(" ");
            if (words.length == 2) {
                seen.computeIfAbsent(words[0], name -> new ArrayList<>()).add(words[1]);
            }
        }
        return seen;
    }

    private static String missing(Set<String> expected, Path record) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(recorded(record).keySet());
        return missing.size() + " " + (missing.size() > 20 ? List.copyOf(missing).subList(0, 20) + "..." : missing);
    }

    /**
     * A directory of stubs for ifup, ifdown, ifconfig and initctl: each appends
     * {@code NAME INTERFACE=... ARGS} to {@code calls} and copies its parent's (the job
     * shell's) environment to {@code environ-PPID} beside it.
     */
    private Path stubs(Path calls) throws IOException {
        Path dir = Files.createDirectories(work.resolve("stubs"));
        Path stub = Files.writeString(dir.resolve("stub"), """
                #!/bin/sh
                echo "${0##*/} INTERFACE=$INTERFACE $*" >> %s
                tr '\\0' '\\n' < /proc/$PPID/environ > %s/environ-$PPID
                """.formatted(calls, calls.getParent()));
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String name : List.of("ifup", "ifdown", "ifconfig", "initctl")) {
            Files.createSymbolicLink(dir.resolve(name), stub.getFileName());
        }
        return dir;
    }
}
