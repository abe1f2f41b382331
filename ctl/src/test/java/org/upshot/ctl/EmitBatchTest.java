package org.upshot.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.upshot.control.Protocol;

/** {@code initctl emit -}: standard input's lines turned into emit requests, before anything is sent. */
class EmitBatchTest {

    private static List<Map<String, Object>> requests(String input, String... options) {
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Initctl ctl = new Initctl("initctl", Map.of(), discard, discard);
        ctl.session(options);
        return new EmitBatch(ctl, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))).requests();
    }

    @Test
    void eachLineIsAnEventInOrderWithTabSeparatedPairsThatMayHoldSpaces() {
        // mountall's lines: a mount point with a space in it stays one value
        List<Map<String, Object>> requests = requests(
                "mounted\tMOUNTPOINT=/media/my disk\tTYPE=ext4\n\nvirtual-filesystems\nfilesystem\n",
                "--no-wait", "emit", "-");
        assertEquals(3, requests.size());
        assertEquals("mounted", requests.get(0).get(Protocol.F_EVENT));
        assertEquals(List.of("MOUNTPOINT=/media/my disk", "TYPE=ext4"), requests.get(0).get(Protocol.F_ENV));
        assertEquals(List.of(), requests.get(1).get(Protocol.F_ENV));
        assertEquals("filesystem", requests.get(2).get(Protocol.F_EVENT));
        assertEquals(List.of(1, 2, 3), requests.stream().map(r -> ((Number) r.get(Protocol.F_ID)).intValue()).toList());
        assertEquals(Boolean.FALSE, requests.get(2).get(Protocol.F_WAIT));
        assertEquals(Boolean.TRUE, requests("a\n", "emit", "-").get(0).get(Protocol.F_WAIT));
    }

    @Test
    void aWordThatIsNotAPairFailsBeforeAnythingIsSent() {
        Initctl.Failure failure = assertThrows(Initctl.Failure.class, () -> requests("ok\nbad\tnot-a-pair\n", "emit", "-"));
        assertEquals("Env must be KEY=VALUE pairs: bad\tnot-a-pair", failure.getMessage());
    }
}
