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
    void aRemovedRunIsGone() throws IOException {
        InstanceRef ref = new InstanceRef("web", "");
        RunRecords records = new RunRecords(dir);
        records.save(ref, SELF, List.of());
        records.remove(ref);
        records.close();
        assertEquals(List.of(), new RunRecords(dir).load());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void aRecordWhosePidNowNamesAnotherProcessIsDroppedNotAdopted() throws IOException {
        saveThenLoad(new InstanceRef("web", ""), SELF, List.of());
        Path file;
        try (Stream<Path> files = Files.list(dir)) {
            file = files.findFirst().orElseThrow();
        }
        // the same pid, started at another time: pid reuse
        String text = Files.readString(file).replaceAll("started \\d+", "started 1");
        Files.writeString(file, text);
        assertEquals(List.of(), new RunRecords(dir).load());
        assertFalse(Files.exists(file), "the stale record is removed");
    }

    @Test
    void aDamagedRecordIsIgnoredAndTheOthersLoad() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("broken@.run"), "job broken\npid twelve\n");
        List<RunRecords.Run> runs = saveThenLoad(new InstanceRef("web", ""), SELF, List.of());
        assertEquals(List.of("web"), runs.stream().map(run -> run.ref().job()).toList());
        assertFalse(Files.exists(dir.resolve("broken@.run")));
    }

    @Test
    void aZombieOrMissingProcessHasNoStartTime() {
        assertTrue(RunRecords.startTicks(SELF).isPresent());
        assertTrue(RunRecords.startTicks(Integer.MAX_VALUE).isEmpty());
    }
}
