package org.upshot.bench;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.upshot.event.Event;
import org.upshot.event.EventExpression;
import org.upshot.job.JobView;
import org.upshot.process.internal.LibC;
import org.upshot.process.internal.Native;
import org.upshot.source.udev.internal.DeviceFilter;
import org.upshot.source.udev.internal.DeviceMonitor;

/**
 * The udev source, measured against a bare netlink reader ({@link UeventReader}) in one
 * run: a booted daemon (the assembled distribution, session mode) with one job,
 *
 * <pre>
 * start on net-device-added INTERFACE=ubnj*
 * stop on net-device-removed INTERFACE=$INTERFACE
 * instance $INTERFACE
 * exec /bin/bash WORK/up.sh          # echo "$EPOCHREALTIME $$" &gt; WORK/up/$INTERFACE; exec sleep
 * post-stop exec /bin/bash WORK/down.sh
 * </pre>
 *
 * <ol>
 * <li><b>latency</b>: {@code ip link add ubnjLNa type veth peer name ubnjLNb}; for each end,
 * the time its instance's main process ran its first command (bash's {@code $EPOCHREALTIME},
 * µs, {@code CLOCK_REALTIME}) minus the time the bare reader got its uevent (the same clock,
 * {@code Instant.now()}); the end the kernel announces first (the peer) is the headline, the
 * other queues behind it. Then {@code ip link del} and the same for {@code remove} → the
 * job's {@code post-stop} running. Beside each pair, a pair {@code ubnrNa/b} that the job
 * ignores and for which the reader itself {@code posix_spawn}s the same {@code bash} script
 * ({@code POSIX_SPAWN_SETSID}, as the daemon spawns), one end after the other: the bare
 * uevent-to-process path a daemon cannot beat.</li>
 * <li><b>the source's own share</b>: the source's {@code DeviceMonitor} in this JVM beside
 * the bare reader ({@code ubns*} pairs), uevent → {@code Event} handed on, {@code nanoTime}
 * on both sides.</li>
 * <li><b>burst</b>: {@code ip -batch} of N pair adds, wait for every instance to run; then N
 * deletes, wait for every post-stop; lost events, the daemon's CPU time (and its uevent
 * thread's against the bare reader thread's), RSS, overflows from the daemon's log and the
 * kernel's drop counter.</li>
 * <li><b>storm</b>: the N adds and N deletes in one {@code ip -batch}; at the end no
 * instance may be left running.</li>
 * </ol>
 *
 * Needs root (veth pairs, {@code SO_RCVBUFFORCE}). Every pair it makes is deleted before it
 * returns; {@code bench/udev.sh} runs it and cleans up after a crash too.
 */
public final class UdevBench {

    /** What the job waits for. */
    static final String JOB_PREFIX = "ubnj";
    /** The baseline's pairs: the job ignores them. */
    static final String RAW_PREFIX = "ubnr";
    /** The in-process source's pairs: the job ignores them. */
    static final String SOURCE_PREFIX = "ubns";
    private static final int BUFFER = 128 * 1024 * 1024;
    private static final String DAEMON_THREAD = "upshot-uevents";
    private static final String LOST = "uevents were lost";

    private final Path work;
    private final VethPairs links;
    private final Map<Integer, Boolean> baselinePids = new ConcurrentHashMap<>();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private volatile UeventReader reader;
    private volatile Process daemon;
    private long daemonPid;

    private UdevBench(Path work) {
        this.work = work;
        this.links = new VethPairs(work);
    }

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        int warmup = 20;
        String buffer = null;
        boolean debug = false;
        for (String arg : args) {
            if (arg.startsWith("--warmup=")) {
                warmup = Integer.parseInt(arg.substring(9));
            } else if (arg.startsWith("--buffer=")) {
                buffer = arg.substring(9);
            } else if (arg.equals("--debug")) {
                debug = true;
            } else {
                positional.add(arg);
            }
        }
        int samples = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 200;
        int pairs = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 1000;
        Path distro = Path.of(System.getProperty("udevbench.distro", "distro/target/upshot-0.1.0")).toAbsolutePath();
        String workDir = System.getProperty("udevbench.work");
        Path work = workDir != null ? Path.of(workDir) : Files.createTempDirectory("upshot-udev-bench");
        UdevBench bench = new UdevBench(work);
        // Also on ^C: a JVM stopped by a signal runs its hooks, not its finally blocks.
        java.lang.Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanUp, "udevbench-cleanup"));
        int status = 0;
        try {
            System.out.println("load average at start: " + ProcStat.loadAverage());
            bench.start(distro, buffer, debug);
            bench.latency(samples, warmup);
            bench.sourceInProcess(samples, warmup);
            bench.burst(pairs);
            bench.storm(pairs);
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        } finally {
            bench.cleanUp();
            System.out.println("load average at end: " + ProcStat.loadAverage());
        }
        System.exit(status);
    }

    /** Deletes every pair left, stops the daemon (which stops its jobs) and whatever of ours outlived it. */
    private void cleanUp() {
        if (!cleaned.compareAndSet(false, true)) {
            return;
        }
        links.close();
        Process current = daemon;
        if (current != null) {
            try {
                current.destroy();
                if (!current.waitFor(60, TimeUnit.SECONDS)) {
                    current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                current.destroyForcibly();
            }
        }
        stopLeftovers();
        if (reader != null) {
            reader.close();
        }
    }

    private void start(Path distro, String buffer, boolean debug) throws IOException {
        for (String dir : List.of("conf", "up", "down", "base-add", "base-remove")) {
            Files.createDirectories(work.resolve(dir));
        }
        Files.writeString(work.resolve("up.sh"), "echo \"$EPOCHREALTIME $$\" > " + work.resolve("up")
                + "/$INTERFACE\nexec sleep 100000\n");
        Files.writeString(work.resolve("down.sh"), "echo \"$EPOCHREALTIME $$\" > " + work.resolve("down")
                + "/$INTERFACE\n");
        Files.writeString(work.resolve("base.sh"), "echo \"$EPOCHREALTIME $$\" > " + work
                + "/base-$ACTION/$INTERFACE\n");
        Files.writeString(work.resolve("conf/ubnj.conf"), "# UdevBench: one instance per " + JOB_PREFIX
                + "* interface\nstart on net-device-added INTERFACE=" + JOB_PREFIX + "*\n"
                + "stop on net-device-removed INTERFACE=$INTERFACE\ninstance $INTERFACE\n"
                + "exec /bin/bash " + work.resolve("up.sh") + "\npost-stop exec /bin/bash " + work.resolve("down.sh")
                + "\n");
        reader = new UeventReader(BUFFER, "ubn", this::baseline);
        Path log = work.resolve("daemon.log");
        List<String> command = new ArrayList<>(List.of(distro.resolve("bin/upshot").toString(), "--session",
                "--plugin-dir", distro.resolve("plugins").toString(), "--runtime-dir", work.resolve("run").toString(),
                "--confdir", work.resolve("conf").toString(), "--log-dir", work.resolve("log").toString()));
        if (debug) {
            command.add("--debug");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (buffer != null) {
            String opts = System.getenv().getOrDefault("UPSHOT_JAVA_OPTS", "");
            builder.environment().put("UPSHOT_JAVA_OPTS", opts + " -Dupshot.udev.receive.buffer.bytes=" + buffer);
        }
        daemon = builder.start();
        daemonPid = daemon.pid();
        Files.writeString(work.resolve("daemon.pid"), daemonPid + "\n");
        await(() -> Harness.count(log, "device events from") + Harness.count(log, "no device events"), 1, 60,
                "the udev source", daemon);
        if (Harness.count(log, "no device events") > 0) {
            throw new IllegalStateException("the daemon has no device events: " + Files.readString(log));
        }
        System.out.println("daemon pid " + daemonPid + ": " + lastLine(log, "device events from"));
    }

    // ---- 1. latency ----

    private void latency(int samples, int warmup) throws IOException, InterruptedException {
        // [path][end of the pair][round]: the end whose uevent came first, and the other one,
        // which queues behind it on both sides (the kernel adds the peer first, removes it last)
        long[][][] upshot = new long[2][2][samples];
        long[][][] bare = new long[2][2][samples];
        for (int i = 0; i < warmup + samples; i++) {
            // the first round also waits for the job to be loaded and the filter in place
            int timeout = i == 0 ? 60 : 20;
            int round = i - warmup;
            String a = JOB_PREFIX + "L" + i + "a";
            String b = JOB_PREFIX + "L" + i + "b";
            links.add(a, b);
            record(upshot[0], round, pair("add", "up", a, b, timeout));
            links.delete(a);
            record(upshot[1], round, pair("remove", "down", a, b, timeout));
            pause();

            String ra = RAW_PREFIX + i + "a";
            String rb = RAW_PREFIX + i + "b";
            links.add(ra, rb);
            record(bare[0], round, pair("add", "base-add", ra, rb, timeout));
            links.delete(ra);
            record(bare[1], round, pair("remove", "base-remove", ra, rb, timeout));
            reapBaseline();
            pause();
        }
        System.out.printf("%n## uevent -> process running: %d veth pairs after %d warm-up, each beside a bare one,"
                + " µs clock%n%n", samples, warmup);
        System.out.println("| path | median | p90 | p99 | max |");
        System.out.println("|---|---|---|---|---|");
        row("Upshot: add uevent -> job's main process running (first end of the pair)", upshot[0][0]);
        row("bare reader + posix_spawn: add uevent -> process running (first end)", bare[0][0]);
        row("Upshot: add, second end (queued behind the first)", upshot[0][1]);
        row("bare reader + posix_spawn: add, second end", bare[0][1]);
        row("Upshot: remove uevent -> job's post-stop running (first end)", upshot[1][0]);
        row("bare reader + posix_spawn: remove uevent -> process running (first end)", bare[1][0]);
        row("Upshot: remove, second end", upshot[1][1]);
        row("bare reader + posix_spawn: remove, second end", bare[1][1]);
        long upAdd = Stats.median(upshot[0][0]);
        long bareAdd = Stats.median(bare[0][0]);
        long upRemove = Stats.median(upshot[1][0]);
        long bareRemove = Stats.median(bare[1][0]);
        System.out.printf("%nUpshot - bare, medians, first end: add %+.2f ms (x%.1f), remove %+.2f ms (x%.1f)%n",
                (upAdd - bareAdd) / 1e3, (double) upAdd / bareAdd, (upRemove - bareRemove) / 1e3,
                (double) upRemove / bareRemove);
    }

    private static void record(long[][] ends, int round, long[] latencies) {
        if (round >= 0) {
            ends[0][round] = latencies[0];
            ends[1][round] = latencies[1];
        }
    }

    /**
     * Both ends' latencies for {@code action}, from the reader's time to the stamp the
     * process wrote in {@code dir}: the end the reader saw first, then the other; µs.
     */
    private long[] pair(String action, String dir, String a, String b, int timeout) throws IOException {
        long stampA = stamp(work.resolve(dir).resolve(a), timeout);
        long stampB = stamp(work.resolve(dir).resolve(b), timeout);
        long seenA = seen(action, a);
        long seenB = seen(action, b);
        return seenA <= seenB ? new long[] {stampA - seenA, stampB - seenB}
                : new long[] {stampB - seenB, stampA - seenA};
    }

    /**
     * The source's own share: its {@link DeviceMonitor} in this JVM beside the bare reader,
     * filtering for {@code INTERFACE=ubns*}, with a sink that converts the uevent to the
     * engine's {@code Event} (as {@code UdevEventSource} does) and takes {@code nanoTime}.
     */
    private void sourceInProcess(int samples, int warmup) throws IOException, InterruptedException {
        Map<String, Long> emitted = new ConcurrentHashMap<>();
        DeviceMonitor.Settings settings = new DeviceMonitor.Settings(Path.of("/sys"), Path.of("/run/udev/control"),
                "kernel", BUFFER);
        long[] latencies = new long[samples];
        try (DeviceMonitor monitor = DeviceMonitor.start(settings, uevent -> {
            Event event = uevent.toEvent();
            long now = System.nanoTime();
            if (uevent.action().equals("add")) {
                emitted.putIfAbsent(uevent.properties().getOrDefault("INTERFACE", event.name()), now);
            }
        })) {
            EventExpression wanted = new EventExpression.Match("net-device-added",
                    List.of(EventExpression.Argument.equal("INTERFACE", SOURCE_PREFIX + "*")));
            monitor.filter(DeviceFilter.of(List.of(new JobView("bench", Path.of("bench.conf"), Optional.empty(),
                    Optional.of(wanted), Optional.empty(), List.of(), Map.of(), List.of()))));
            for (int i = 0; i < warmup + samples; i++) {
                String a = SOURCE_PREFIX + i + "a";
                links.add(a, SOURCE_PREFIX + i + "b");
                await(() -> emitted.containsKey(a) ? 1 : 0, 1, 10, "the in-process source to emit " + a, null);
                long seen = seenNanos("add", a);
                links.delete(a);
                pause();
                if (i >= warmup) {
                    latencies[i - warmup] = (emitted.get(a) - seen) / 1_000;
                }
            }
        }
        System.out.printf("%n## the source's own share, in this JVM (C2), nanoTime on both sides: %d rounds%n%n",
                samples);
        System.out.println("| path | median | p90 | p99 | max |");
        System.out.println("|---|---|---|---|---|");
        row("udev source: add uevent -> Event for the engine (bare reader = 0)", latencies);
    }

    private long seenNanos(String action, String name) {
        long[] at = new long[1];
        await(() -> {
            Long time = reader.seenNanos(action, name);
            at[0] = time == null ? 0 : time;
            return time == null ? 0 : 1;
        }, 1, 10, "the bare reader to see " + action + " " + name, null);
        return at[0];
    }

    /** The baseline: on the reader's thread, right after it took the time, spawn the process. */
    private void baseline(String action, String name) {
        if (!name.startsWith(RAW_PREFIX)) {
            return;
        }
        LibC libc = Native.libc();
        Runtime runtime = Runtime.getRuntime(libc);
        Pointer pid = Memory.allocateDirect(runtime, 4);
        Pointer argv = Native.stringArray(List.of("/bin/bash", work.resolve("base.sh").toString()));
        Pointer envp = Native.stringArray(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "INTERFACE=" + name,
                "ACTION=" + action));
        int error = libc.posix_spawn(pid, "/bin/bash", null, Attributes.SETSID, argv, envp);
        Reference.reachabilityFence(argv);
        Reference.reachabilityFence(envp);
        if (error != 0) {
            System.err.println("baseline posix_spawn failed: " + error);
            return;
        }
        baselinePids.put(pid.getInt(0), Boolean.TRUE);
    }

    /** posix_spawn attributes with {@code POSIX_SPAWN_SETSID}, made once. */
    private static final class Attributes {
        static final Pointer SETSID = SpawnBench.sessionAttributes();
    }

    private void reapBaseline() {
        LibC libc = Native.libc();
        Pointer status = Memory.allocateDirect(Runtime.getRuntime(libc), 4);
        for (Integer pid : List.copyOf(baselinePids.keySet())) {
            libc.waitpid(pid, status, 0);
            baselinePids.remove(pid);
        }
    }

    private long seen(String action, String name) {
        long[] at = new long[1];
        await(() -> {
            Long time = reader.seen(action, name);
            at[0] = time == null ? 0 : time;
            return time == null ? 0 : 1;
        }, 1, 10, "the bare reader to see " + action + " " + name, null);
        return at[0];
    }

    // ---- 2. burst: adds, then deletes ----

    private void burst(int pairs) throws IOException, InterruptedException {
        String prefix = JOB_PREFIX + "B";
        Phase adds = new Phase("add", 2 * pairs);
        Phase deletes = new Phase("delete", 2 * pairs);
        ProcStat.RssSampler rss = new ProcStat.RssSampler(daemonPid);
        long rssBefore = ProcStat.statusKb(daemonPid, "VmRSS");
        rss.start();
        try {
            adds.begin();
            links.batch(prefix, pairs, true);
            adds.ipDone();
            settle(() -> files("up", prefix), 2L * pairs);
            adds.end(seenRange("add", prefix, pairs), lastStamp("up", prefix));
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            deletes.begin();
            links.batch(prefix, pairs, false);
            deletes.ipDone();
            settle(() -> files("down", prefix), 2L * pairs);
            deletes.end(seenRange("remove", prefix, pairs), lastStamp("down", prefix));
        } finally {
            rss.stop();
        }
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        int left = ProcStat.children(daemonPid);
        System.out.printf("%n## burst: %d veth pairs (%d interfaces) added by one `ip -batch`, then deleted by"
                + " another%n%n", pairs, 2 * pairs);
        System.out.println("| | adds | deletes |");
        System.out.println("|---|---|---|");
        Phase.table(adds, deletes);
        System.out.printf("| instances started / stopped (of %d) | %d | %d |%n", 2 * pairs, files("up", prefix),
                files("down", prefix));
        System.out.printf("| events lost | %d | %d |%n", 2L * pairs - files("up", prefix),
                2L * pairs - files("down", prefix));
        missing("never started", "up", prefix, pairs);
        missing("never stopped", "down", prefix, pairs);
        System.out.printf("%ndaemon RSS: %.1f MiB before, peak %.1f MiB sampled every 20 ms with %d instances up,"
                + " VmHWM %.1f MiB; %d children left after the deletes%n", rssBefore / 1024.0, rss.peakKb / 1024.0,
                2 * pairs, ProcStat.statusKb(daemonPid, "VmHWM") / 1024.0, left);
        Phase.busiestThreads(adds, deletes);
    }

    // ---- 3. storm: adds and deletes in one batch ----

    private void storm(int pairs) throws IOException, InterruptedException {
        String prefix = JOB_PREFIX + "S";
        Phase storm = new Phase("storm", 4 * pairs);
        storm.begin();
        links.stormBatch(prefix, pairs);
        storm.ipDone();
        await(() -> reader.seen("remove", prefix + (pairs - 1) + "b") == null ? 0 : 1, 1, 120,
                "the storm's last uevent", null);
        // quiet: no instance process left and no new up/down file for 3 s
        long[] last = {-1};
        long[] quietSince = {System.nanoTime()};
        await(() -> {
            long now = files("up", prefix) * 100_000 + files("down", prefix);
            if (now != last[0] || ProcStat.children(daemonPid) > 0) {
                last[0] = now;
                quietSince[0] = System.nanoTime();
                return 0;
            }
            return System.nanoTime() - quietSince[0] > TimeUnit.SECONDS.toNanos(3) ? 1 : 0;
        }, 1, 300, "the storm to settle", null);
        long[] range = {seenRange("add", prefix, pairs)[0], seenRange("remove", prefix, pairs)[1]};
        storm.end(range, Math.max(lastStamp("up", prefix), lastStamp("down", prefix)));
        long up = files("up", prefix);
        long down = files("down", prefix);
        System.out.printf("%n## storm: %d pair adds and %d deletes in one `ip -batch`%n%n", pairs, pairs);
        System.out.println("| | storm |");
        System.out.println("|---|---|");
        Phase.table(storm);
        System.out.printf("| main processes that ran / post-stops that ran (of %d) | %d / %d |%n", 2 * pairs, up,
                down);
        System.out.printf("| instances left running | %d |%n", ProcStat.children(daemonPid));
        System.out.printf("| ran but never stopped | %d |%n", ranNotStopped(prefix));
    }

    /** Names the phase's interfaces that have no file in {@code dir}, the first ten of them. */
    private void missing(String what, String dir, String prefix, int pairs) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            for (String end : List.of("a", "b")) {
                if (!Files.exists(work.resolve(dir).resolve(prefix + i + end))) {
                    missing.add(prefix + i + end);
                }
            }
        }
        if (!missing.isEmpty()) {
            System.out.println(missing.size() + " " + what + ", e.g. " + missing.subList(0, Math.min(10, missing.size())));
        }
    }

    private long ranNotStopped(String prefix) {
        long count = 0;
        for (String name : names("up", prefix)) {
            if (!Files.exists(work.resolve("down").resolve(name))) {
                count++;
            }
        }
        return count;
    }

    /** One phase's counters, before and after. */
    private final class Phase {
        final String name;
        final int interfaces;
        long start;
        long ipNanos;
        long ticks;
        long uevents;
        long readerTicks;
        long readerMessages;
        long readerOurs;
        long readerOverflows;
        int lost;
        long drops;
        long readerDrops;
        Map<Long, ProcStat.Task> tasks;
        long[] seenRange;
        long lastStamp;

        Phase(String name, int interfaces) {
            this.name = name;
            this.interfaces = interfaces;
        }

        void begin() throws IOException {
            tasks = ProcStat.tasks(daemonPid);
            ticks = ProcStat.processTicks(daemonPid);
            uevents = threadTicks(tasks, DAEMON_THREAD);
            readerTicks = ProcStat.threadTicks(ProcessHandle.current().pid(), UeventReader.THREAD);
            readerMessages = reader.messages();
            readerOurs = reader.ours();
            readerOverflows = reader.overflows();
            lost = Harness.count(work.resolve("daemon.log"), LOST);
            drops = ProcStat.uEventDrops(daemonPid);
            readerDrops = ProcStat.uEventDrops(ProcessHandle.current().pid());
            start = System.nanoTime();
        }

        void ipDone() {
            ipNanos = System.nanoTime() - start;
        }

        void end(long[] seen, long last) throws IOException {
            Map<Long, ProcStat.Task> after = ProcStat.tasks(daemonPid);
            ticks = ProcStat.processTicks(daemonPid) - ticks;
            uevents = threadTicks(after, DAEMON_THREAD) - uevents;
            readerTicks = ProcStat.threadTicks(ProcessHandle.current().pid(), UeventReader.THREAD) - readerTicks;
            readerMessages = reader.messages() - readerMessages;
            readerOurs = reader.ours() - readerOurs;
            readerOverflows = reader.overflows() - readerOverflows;
            lost = Harness.count(work.resolve("daemon.log"), LOST) - lost;
            drops = ProcStat.uEventDrops(daemonPid) - drops;
            readerDrops = ProcStat.uEventDrops(ProcessHandle.current().pid()) - readerDrops;
            Map<Long, ProcStat.Task> delta = new HashMap<>();
            after.forEach((tid, task) -> {
                ProcStat.Task before = tasks.get(tid);
                delta.put(tid, new ProcStat.Task(task.comm(), task.ticks() - (before == null ? 0 : before.ticks())));
            });
            tasks = delta;
            seenRange = seen;
            lastStamp = last;
        }

        static void table(Phase... phases) {
            row("`ip -batch` wall time", phases, p -> String.format("%.2f s", p.ipNanos / 1e9));
            row("uevents read by the bare reader: of these interfaces and their queues / all", phases,
                    p -> p.readerOurs + " / " + p.readerMessages);
            row("first → last uevent (bare reader)", phases,
                    p -> String.format("%.2f s", (p.seenRange[1] - p.seenRange[0]) / 1e6));
            row("first uevent → last job process ran (main on add, post-stop on delete)", phases,
                    p -> String.format("%.2f s", (p.lastStamp - p.seenRange[0]) / 1e6));
            row("overflows: daemon log \"" + LOST + "\" / bare reader ENOBUFS", phases,
                    p -> p.lost + " / " + p.readerOverflows);
            row("uevents the kernel dropped (`/proc/net/netlink` Drops): daemon / bare reader", phases,
                    p -> p.drops + " / " + p.readerDrops);
            row("daemon CPU (utime+stime, all threads)", phases, p -> ms(p.ticks));
            row("daemon CPU per instance start or stop", phases,
                    p -> String.format("%.2f ms", p.ticks * 1e3 / ProcStat.TICKS_PER_SECOND / p.interfaces));
            row("`" + DAEMON_THREAD + "` thread CPU", phases, p -> ms(p.uevents));
            row("bare reader thread CPU", phases, p -> ms(p.readerTicks));
        }

        static void busiestThreads(Phase... phases) {
            for (Phase phase : phases) {
                List<ProcStat.Task> top = new ArrayList<>(phase.tasks.values());
                top.sort(Comparator.comparingLong(ProcStat.Task::ticks).reversed());
                StringBuilder line = new StringBuilder("busiest daemon threads, " + phase.name + ":");
                for (ProcStat.Task task : top.subList(0, Math.min(5, top.size()))) {
                    line.append(' ').append(task.comm()).append(' ').append(ms(task.ticks())).append(',');
                }
                System.out.println(line.substring(0, line.length() - 1));
            }
        }

        private static String ms(long ticks) {
            return String.format("%d ms", ticks * 1000 / ProcStat.TICKS_PER_SECOND);
        }

        private static void row(String label, Phase[] phases, java.util.function.Function<Phase, String> value) {
            StringBuilder line = new StringBuilder("| " + label + " |");
            for (Phase phase : phases) {
                line.append(' ').append(value.apply(phase)).append(" |");
            }
            System.out.println(line);
        }
    }

    private static long threadTicks(Map<Long, ProcStat.Task> tasks, String comm) {
        return tasks.values().stream().filter(t -> t.comm().equals(comm)).mapToLong(ProcStat.Task::ticks).sum();
    }

    /** First and last time the reader saw {@code action} for the phase's {@code a} ends, µs. */
    private long[] seenRange(String action, String prefix, int pairs) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < pairs; i++) {
            for (String end : List.of("a", "b")) {
                Long at = reader.seen(action, prefix + i + end);
                if (at != null) {
                    first = Math.min(first, at);
                    last = Math.max(last, at);
                }
            }
        }
        return new long[] {first, last};
    }

    /** The latest time stamp among the phase's files in {@code dir}, µs. */
    private long lastStamp(String dir, String prefix) throws IOException {
        long last = 0;
        for (String name : names(dir, prefix)) {
            last = Math.max(last, stamp(work.resolve(dir).resolve(name), 5));
        }
        return last;
    }

    private long files(String dir, String prefix) {
        return names(dir, prefix).size();
    }

    private List<String> names(String dir, String prefix) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(work.resolve(dir), prefix + "*")) {
            files.forEach(file -> names.add(file.getFileName().toString()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return names;
    }

    // ---- cleanup ----

    /** The daemon stops its jobs on TERM; anything of ours still running after it is killed here, by pid. */
    private void stopLeftovers() {
        reapBaseline();
        for (String dir : List.of("up", "down")) {
            for (String name : names(dir, "ubn")) {
                try {
                    String[] line = Files.readString(work.resolve(dir).resolve(name)).strip().split(" ");
                    long pid = Long.parseLong(line[1]);
                    String cmdline = Files.readString(Path.of("/proc", line[1], "cmdline"));
                    if (cmdline.equals("sleep\0" + "100000\0")) {
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                        System.err.println("killed a leftover instance process " + pid + " (" + name + ")");
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, as it should be
                }
            }
        }
    }

    // ---- small helpers ----

    /** Reads {@code "SECONDS.MICROS PID"} as written by one {@code echo}, once it is complete; µs. */
    private static long stamp(Path file, int seconds) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try {
                String text = Files.readString(file);
                if (text.endsWith("\n")) {
                    String time = text.substring(0, text.indexOf(' '));
                    int dot = time.indexOf('.');
                    String micros = (time.substring(dot + 1) + "000000").substring(0, 6);
                    return Long.parseLong(time.substring(0, dot)) * 1_000_000 + Long.parseLong(micros);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + file);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Waits until {@code value} reaches {@code target}; fails after {@code seconds} or when {@code process} ends. */
    private static void await(LongSupplier value, long target, int seconds, String what, Process process) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (value.getAsLong() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what + " (" + value.getAsLong() + " of "
                        + target + ")");
            }
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("the daemon exited while waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Waits until {@code value} reaches {@code target}, or stops growing for 30 s (events were lost). */
    private static void settle(LongSupplier value, long target) {
        long last = -1;
        long since = System.nanoTime();
        for (long now = value.getAsLong(); now < target; now = value.getAsLong()) {
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > TimeUnit.SECONDS.toNanos(30)) {
                System.err.println("no progress for 30 s at " + now + " of " + target);
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static void pause() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }

    private static String lastLine(Path log, String text) throws IOException {
        String found = "";
        for (String line : Files.readAllLines(log)) {
            if (line.contains(text)) {
                found = line;
            }
        }
        return found;
    }

    private static void row(String label, long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        System.out.printf("| %s | %.3f ms | %.3f ms | %.3f ms | %.3f ms |%n", label, sorted[sorted.length / 2] / 1e3,
                Stats.percentile(sorted, 0.90) / 1e3, Stats.percentile(sorted, 0.99) / 1e3,
                sorted[sorted.length - 1] / 1e3);
    }
}
