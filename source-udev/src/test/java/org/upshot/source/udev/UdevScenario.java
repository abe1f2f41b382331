package org.upshot.source.udev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.upshot.testkit.SourceScenario;

/**
 * The udev source in the contract suite ({@code org.upshot.testkit.SourceContract}): the
 * loopback interface, present at boot, is announced; a {@code change} written to its
 * {@code uevent} file is the real event (that write needs root: elsewhere the check is
 * skipped with the reason).
 */
public final class UdevScenario implements SourceScenario {

    private static final Path LO_UEVENT = Path.of("/sys/class/net/lo/uevent");

    @Override
    public String plugin() {
        return "source-udev";
    }

    /** lo is always there. */
    @Override
    public void makeAlreadyTrue(Path work) {
    }

    @Override
    public String alreadyTrueJob(Path work) {
        return "start on net-device-added INTERFACE=lo";
    }

    @Override
    public String triggeredJob(Path work) {
        return "start on net-device-changed INTERFACE=lo";
    }

    @Override
    public void trigger(Path work) throws IOException {
        Assumptions.assumeTrue(Files.isWritable(LO_UEVENT),
                "skipped: writing " + LO_UEVENT + " to cause a uevent needs root");
        Files.writeString(LO_UEVENT, "change");
    }

    /** The kernel delivers at once; a second is ample. */
    @Override
    public Duration quietWindow() {
        return Duration.ofSeconds(1);
    }
}
