package org.upshot.bench;

import java.lang.ref.Reference;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.upshot.process.SpawnRequest;
import org.upshot.process.internal.LibC;
import org.upshot.process.internal.Native;
import org.upshot.process.internal.PosixProcessLauncher;

/**
 * Spawn + reap rate of {@code /bin/true}. Baseline: a bare {@code posix_spawn} +
 * {@code waitpid(pid)} loop through the same jnr binding, with no file actions and no
 * attributes, and the same with only {@code POSIX_SPAWN_SETSID}. Against it, Upshot's {@link PosixProcessLauncher} two ways: serial (spawn,
 * wait until the reaper thread reports that pid, next), which is the same work as the
 * baseline plus session, signal reset, closefrom, the PATH lookup and the hand-off
 * between threads; and batch (N spawns, then wait for all N exits), the way an engine
 * starting many jobs uses it. The bare loop runs first: once the launcher's reaper
 * thread exists, its {@code waitpid(-1)} would take the bare loop's children.
 *
 * <p>Usage: {@code SpawnBench [spawnsPerRound=1000] [rounds=3]}; prints each round and
 * the medians.
 */
public final class SpawnBench {

    private static final String TRUE = "/bin/true";
    private static final List<String> ENV = List.of("PATH=/usr/bin:/bin");

    private SpawnBench() {}

    public static void main(String[] args) throws Exception {
        int spawns = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double[] raw = new double[rounds];
        double[] rawSession = new double[rounds];
        Pointer setsid = sessionAttributes();
        rawRound(spawns / 4, null);
        for (int i = 0; i < rounds; i++) {
            raw[i] = rawRound(spawns, null);
            System.out.printf("raw posix_spawn+waitpid  round %d: %8.0f spawns/s%n", i + 1, raw[i]);
            rawSession[i] = rawRound(spawns, setsid);
            System.out.printf("raw, SETSID only         round %d: %8.0f spawns/s%n", i + 1, rawSession[i]);
        }
        PosixProcessLauncher launcher = new PosixProcessLauncher();
        double[] serial = new double[rounds];
        double[] batch = new double[rounds];
        serialRound(launcher, spawns / 4);
        batchRound(launcher, spawns / 4);
        for (int i = 0; i < rounds; i++) {
            serial[i] = serialRound(launcher, spawns);
            System.out.printf("launcher, serial         round %d: %8.0f spawns/s%n", i + 1, serial[i]);
            batch[i] = batchRound(launcher, spawns);
            System.out.printf("launcher, batch          round %d: %8.0f spawns/s%n", i + 1, batch[i]);
        }
        double rawMedian = Stats.median(raw);
        double sessionMedian = Stats.median(rawSession);
        System.out.printf("median: raw %.0f/s, raw SETSID %.0f/s, launcher serial %.0f/s (x%.2f raw, x%.2f SETSID),"
                + " batch %.0f/s (x%.2f raw); %d spawns x %d rounds%n", rawMedian, sessionMedian, Stats.median(serial),
                Stats.median(serial) / rawMedian, Stats.median(serial) / sessionMedian, Stats.median(batch),
                Stats.median(batch) / rawMedian, spawns, rounds);
    }

    /**
     * Only {@code POSIX_SPAWN_SETSID}: with the scheduler's autogroups (on by default) a
     * new session is a new scheduling group, which changes the rates on a loaded machine
     * more than anything else the launcher does, so it gets its own baseline.
     */
    static Pointer sessionAttributes() {
        LibC libc = Native.libc();
        Pointer attributes = Memory.allocateDirect(Runtime.getRuntime(libc), LibC.SPAWNATTR_SIZE, true);
        libc.posix_spawnattr_init(attributes);
        libc.posix_spawnattr_setflags(attributes, LibC.POSIX_SPAWN_SETSID);
        return attributes;
    }

    /** Spawns and waits for {@code /bin/true} with bare jnr calls: the raw rate per second. */
    static double rawRound(int spawns, Pointer attributes) {
        LibC libc = Native.libc();
        Runtime runtime = Runtime.getRuntime(libc);
        Pointer pid = Memory.allocateDirect(runtime, 4);
        Pointer status = Memory.allocateDirect(runtime, 4);
        long start = System.nanoTime();
        for (int i = 0; i < spawns; i++) {
            Pointer argv = Native.stringArray(List.of(TRUE));
            Pointer envp = Native.stringArray(ENV);
            int error = libc.posix_spawn(pid, TRUE, null, attributes, argv, envp);
            Reference.reachabilityFence(argv);
            Reference.reachabilityFence(envp);
            if (error != 0) {
                throw new IllegalStateException("posix_spawn failed: " + error);
            }
            libc.waitpid(pid.getInt(0), status, 0);
        }
        return spawns / ((System.nanoTime() - start) / 1e9);
    }

    private static double serialRound(PosixProcessLauncher launcher, int spawns) throws Exception {
        BlockingQueue<Integer> reaped = new LinkedBlockingQueue<>();
        launcher.addExitListener(exit -> reaped.add(exit.pid()));
        try {
            SpawnRequest request = SpawnRequest.of(List.of(TRUE), ENV);
            long start = System.nanoTime();
            for (int i = 0; i < spawns; i++) {
                int pid = launcher.spawn(request);
                while (reaped.take() != pid) {
                    // another process's exit (none expected); keep waiting for ours
                }
            }
            return spawns / ((System.nanoTime() - start) / 1e9);
        } finally {
            launcher.close();
        }
    }

    private static double batchRound(PosixProcessLauncher launcher, int spawns) throws Exception {
        CountDownLatch exited = new CountDownLatch(spawns);
        launcher.addExitListener(exit -> exited.countDown());
        try {
            SpawnRequest request = SpawnRequest.of(List.of(TRUE), ENV);
            long start = System.nanoTime();
            for (int i = 0; i < spawns; i++) {
                launcher.spawn(request);
            }
            if (!exited.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException(exited.getCount() + " exits never reported");
            }
            return spawns / ((System.nanoTime() - start) / 1e9);
        } finally {
            launcher.close();
        }
    }
}
