package org.upshot.source.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.upshot.testkit.SourceScenario;

/**
 * The files source in the contract suite ({@code org.upshot.testkit.SourceContract}): a
 * queue directory that already holds a file at boot, and files dropped into an inbox.
 */
public final class FilesScenario implements SourceScenario {

    @Override
    public String plugin() {
        return "source-files";
    }

    /** A file left in the queue from before boot; the inbox exists, empty. */
    @Override
    public void makeAlreadyTrue(Path work) throws IOException {
        Files.writeString(Files.createDirectories(queue(work)).resolve("left-over"), "from before boot\n");
        Files.createDirectories(inbox(work));
    }

    @Override
    public String alreadyTrueJob(Path work) {
        return "watch " + queue(work) + " nonempty";
    }

    @Override
    public String triggeredJob(Path work) {
        return "start on file FILE=" + inbox(work) + "/ EVENT=create";
    }

    /** A new file in the inbox. */
    @Override
    public void trigger(Path work) throws IOException {
        Files.createTempFile(inbox(work), "dropped-", "");
    }

    /** Ten coalescing windows (100 ms by default); inotify itself reports at once. */
    @Override
    public Duration quietWindow() {
        return Duration.ofSeconds(1);
    }

    private static Path queue(Path work) {
        return work.resolve("queue");
    }

    private static Path inbox(Path work) {
        return work.resolve("inbox");
    }
}
