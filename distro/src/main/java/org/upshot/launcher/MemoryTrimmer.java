package org.upshot.launcher;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.types.size_t;

/**
 * Gives memory back: glibc's {@code malloc_trim}, which returns the free pages of every
 * malloc arena to the kernel, and after a burst a full collection, so that the heap
 * shrinks to its live set plus {@code -XX:MaxHeapFreeRatio}. Booting and a bring-up of
 * many jobs leave 10–15 MiB of freed malloc memory (class loading, jar reading, the
 * compiler's arenas, spawn file actions) and a grown heap in the daemon's resident set;
 * neither shrinks by itself (bench/README.md, "Memory, boot and initctl").
 *
 * <p>One daemon thread wakes every {@value #SAMPLE_MILLIS} ms. It trims malloc's free
 * pages (a walk of the free lists: well under a millisecond for a daemon's few MiB), and
 * samples the anonymous resident set ({@code RssAnon} in {@code /proc/self/status}):
 * when that has grown by {@value #GROWTH_KIB} KiB or more since the last collection and
 * has held still over the last sample, it runs one, so that a collection follows a
 * burst rather than interrupting it. Freed malloc memory does not show as growth, hence
 * the trim at every wake. Without {@code malloc_trim} (a libc other than glibc) only
 * the collections run.
 */
final class MemoryTrimmer {
    private static final System.Logger LOG = System.getLogger("org.upshot.launcher");
    private static final long SAMPLE_MILLIS = 2_000;
    private static final long GROWTH_KIB = 4 * 1024;
    private static final long STILL_KIB = 1024;
    private static final Path STATUS = Path.of("/proc/self/status");

    /** glibc's call; a pad of 0 keeps nothing spare at the top of the main arena. */
    public interface Malloc {
        int malloc_trim(@size_t long pad);
    }

    private Malloc malloc;
    private long collectedKib;
    private long previousKib;

    private MemoryTrimmer() {
    }

    /** Starts the trimming thread; it ends with the JVM. */
    static void start() {
        Thread thread = new Thread(new MemoryTrimmer()::run, "upshot-trim");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private void run() {
        malloc = loadMalloc();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(SAMPLE_MILLIS);
                sample();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "memory trimming stops: " + e);
                return;
            }
        }
    }

    private void sample() throws IOException {
        long now = anonymousResidentKib();
        boolean still = Math.abs(now - previousKib) < STILL_KIB;
        previousKib = now;
        if (now < collectedKib) {
            collectedKib = now;
        } else if (still && now - collectedKib >= GROWTH_KIB) {
            System.gc();
            collectedKib = now;
        }
        if (malloc != null) {
            long begin = System.nanoTime();
            if (malloc.malloc_trim(0) == 1) {
                long micros = (System.nanoTime() - begin) / 1000;
                long after = anonymousResidentKib();
                previousKib = after;
                collectedKib = Math.min(collectedKib, after);
                if (now - after >= STILL_KIB) {
                    LOG.log(Level.DEBUG, "memory trimmed in {0} us: anonymous resident set {1} -> {2} KiB",
                            Long.toString(micros), Long.toString(now), Long.toString(after));
                }
            }
        }
    }

    private static long anonymousResidentKib() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("RssAnon:")) {
                return Long.parseLong(line.substring("RssAnon:".length()).replace("kB", "").trim());
            }
        }
        throw new IOException("no RssAnon in " + STATUS);
    }

    private static Malloc loadMalloc() {
        try {
            Malloc libc = LibraryLoader.create(Malloc.class).load("c");
            libc.malloc_trim(0);
            return libc;
        } catch (LinkageError | RuntimeException e) {
            LOG.log(Level.DEBUG, "no malloc_trim in this libc; trimming collects the heap only: " + e);
            return null;
        }
    }
}
