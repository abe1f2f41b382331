package org.upshot.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** CPU time and memory of a process and its threads, from {@code /proc}. */
final class ProcStat {

    /** {@code USER_HZ}: the unit of {@code utime}/{@code stime}, 100 on every Linux ABI we run on. */
    static final int TICKS_PER_SECOND = 100;

    private ProcStat() {}

    /** One thread's name and CPU time. */
    record Task(String comm, long ticks) {}

    /** utime + stime of a process (all its threads) or of one task, in ticks; -1 if it is gone. */
    static long ticks(Path stat) {
        try {
            String text = Files.readString(stat);
            // the fields after the command's closing parenthesis: state is field 3, utime 14, stime 15
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long processTicks(long pid) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** Every thread of {@code pid}, by thread id. */
    static Map<Long, Task> tasks(long pid) {
        Map<Long, Task> tasks = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path dir : dirs) {
                try {
                    String comm = Files.readString(dir.resolve("comm")).strip();
                    long ticks = ticks(dir.resolve("stat"));
                    if (ticks >= 0) {
                        tasks.put(Long.parseLong(dir.getFileName().toString()), new Task(comm, ticks));
                    }
                } catch (IOException e) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        return tasks;
    }

    /** The CPU ticks of {@code pid}'s thread named {@code comm} (the first, if several), -1 if none. */
    static long threadTicks(long pid, String comm) {
        for (Task task : tasks(pid).values()) {
            if (task.comm().equals(comm)) {
                return task.ticks();
            }
        }
        return -1;
    }

    /** A {@code /proc/PID/status} field in kB ({@code VmRSS}, {@code VmHWM}); -1 if absent. */
    static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** How many children {@code pid} has now (its threads' {@code children} lists). */
    static int children(long pid) {
        int count = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path dir : dirs) {
                try {
                    String list = Files.readString(dir.resolve("children")).strip();
                    if (!list.isEmpty()) {
                        count += list.split(" ").length;
                    }
                } catch (IOException e) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        return count;
    }

    /**
     * Messages the kernel dropped on {@code pid}'s {@code NETLINK_KOBJECT_UEVENT} sockets
     * ({@code sk_drops}, the Drops column of {@code /proc/net/netlink}): every uevent that did
     * not fit, whether or not a read reported ENOBUFS for it.
     */
    static long uEventDrops(long pid) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            }
            long drops = 0;
            for (String line : Files.readAllLines(Path.of("/proc/net/netlink"))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 10 && fields[1].equals("15") && inodes.contains(fields[9])) {
                    drops += Long.parseLong(fields[8]);
                }
            }
            return drops;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code /proc/loadavg}'s three averages. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Samples a process's VmRSS every 20 ms, keeping the peak. */
    static final class RssSampler {
        private final long pid;
        private final Thread thread;
        private volatile boolean running = true;
        volatile long peakKb;

        RssSampler(long pid) {
            this.pid = pid;
            this.thread = new Thread(this::run, "rss-sampler");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            while (running) {
                peakKb = Math.max(peakKb, ProcStat.statusKb(pid, "VmRSS"));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
