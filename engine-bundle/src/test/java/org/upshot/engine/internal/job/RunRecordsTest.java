package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.job.InstanceRef;

/** Records of running instances, on disk, against this test's own live process. */
class RunRecordsTest {
    private static final int SELF = (int) ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private List<RunRecords.Run> saveThenLoad(InstanceRef ref, int pid, List<String> env) {
        RunRecords writer = new RunRecords(dir);
        writer.save(ref, pid, env);
        writer.close(); // flushes the writer thread
        return new RunRecords(dir).load();
    }

    @Test
    void aLiveRunComesBackWithItsInstanceAndEnvironment() {
        InstanceRef ref = new InstanceRef("net/web", "8080 a/b");
        List<String> env = List.of("PORT=8080", "BANNER=two\nlines \\ and a backslash", "EMPTY=");
        List<RunRecords.Run> runs = saveThenLoad(ref, SELF, env);
        assertEquals(1, runs.size());
        RunRecords.Run run = runs.get(0);
        assertEquals(ref, run.ref());
        assertEquals(SELF, run.pid());
        assertEquals(env, run.env());
        assertEquals(RunRecords.startTicks(SELF), OptionalLong.of(run.startTicks()));
    }

    @Test
    void aRemovedRunIsGoneAndTheNextLoadLeavesAnEmptyFile() throws IOException {
        InstanceRef ref = new InstanceRef("web", "");
        RunRecords records = new RunRecords(dir);
        records.save(ref, SELF, List.of());
        records.remove(ref);
        records.close();
        assertEquals(List.of(), new RunRecords(dir).load());
        assertEquals("", Files.readString(dir.resolve("records")));
    }

    @Test
    void aRecordWhosePidNowNamesAnotherProcessIsDroppedNotAdopted() throws IOException {
        saveThenLoad(new InstanceRef("web", ""), SELF, List.of());
        Path file = dir.resolve("records");
        // the same pid, started at another time: pid reuse
        String text = Files.readString(file).replaceAll("\t" + SELF + "\t\\d+", "\t" + SELF + "\t1");
        Files.writeString(file, text);
        assertEquals(List.of(), new RunRecords(dir).load());
        assertEquals("", Files.readString(file), "the stale record is removed");
    }

    @Test
    void aDamagedRecordIsIgnoredAndTheOthersLoad() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("records"), "run\tbroken\t\ttwelve\t5\nwhat\n");
        RunRecords records = new RunRecords(dir);
        assertEquals(List.of(), records.load());
        records.save(new InstanceRef("web", ""), SELF, List.of());
        records.close();
        List<RunRecords.Run> runs = new RunRecords(dir).load();
        assertEquals(List.of("web"), runs.stream().map(run -> run.ref().job()).toList());
        assertFalse(Files.readString(dir.resolve("records")).contains("broken"));
    }

    @Test
    void aLineACrashCutShortIsIgnored() throws IOException {
        // the last save was half written: the run before it still loads, the torn one does not.
        saveThenLoad(new InstanceRef("web", ""), SELF, List.of("A=1"));
        Path file = dir.resolve("records");
        Files.writeString(file, "run\tdb\t\t" + SELF, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of("web"), new RunRecords(dir).load().stream().map(run -> run.ref().job()).toList());
    }

    @Test
    void manyChangesLeaveOneFileWithTheLiveRunsOnly() throws IOException {
        // a thousand starts and stops are appended, and the file is rewritten as it grows.
        RunRecords records = new RunRecords(dir);
        for (int i = 0; i < 1000; i++) {
            records.save(new InstanceRef("s" + i, ""), SELF, List.of());
            if (i % 10 != 0) {
                records.remove(new InstanceRef("s" + i, ""));
            }
        }
        records.close();
        assertTrue(Files.readAllLines(dir.resolve("records")).size() <= 2 * 100 + 256 + 2);
        assertEquals(100, new RunRecords(dir).load().size());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("records")), left.toList());
        }
    }

    @Test
    void aZombieOrMissingProcessHasNoStartTime() {
        assertTrue(RunRecords.startTicks(SELF).isPresent());
        assertTrue(RunRecords.startTicks(Integer.MAX_VALUE).isEmpty());
    }
}
