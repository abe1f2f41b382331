package org.upshot.ctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.upshot.control.Command;
import org.upshot.control.Protocol;

/**
 * {@code initctl emit -}: the events on standard input, one a line, the event's name and
 * its {@code KEY=VALUE} pairs separated by tabs (so a value may hold spaces), sent in
 * order on one connection and answered in order: a boot job's dozens of events cost one
 * client start, not one each. With {@code --no-wait} each is answered once queued. Exit
 * status 1 if any failed, each failure named on stderr.
 */
final class EmitBatch {

    /** The event name that reads the events from standard input. */
    static final String FROM_STDIN = "-";

    private final Initctl ctl;
    private final InputStream in;

    EmitBatch(Initctl ctl, InputStream in) {
        this.ctl = ctl;
        this.in = in;
    }

    int run() {
        List<Map<String, Object>> requests = requests();
        int failed = 0;
        try (ControlClient client = ctl.connect()) {
            for (Map<String, Object> request : requests) {
                client.send(request);
            }
            for (Map<String, Object> request : requests) {
                Map<String, Object> reply = client.receive();
                if (reply == null) {
                    throw new Initctl.Failure("the daemon closed the connection without replying");
                }
                if (!Boolean.TRUE.equals(reply.get(Protocol.F_OK))) {
                    ctl.err().print(ctl.program() + ": " + request.get(Protocol.F_EVENT) + ": "
                            + reply.get(Protocol.F_MESSAGE) + "\n");
                    failed++;
                }
            }
        } catch (IOException e) {
            throw new Initctl.Failure("lost the connection to the daemon: " + e.getMessage());
        }
        return failed == 0 ? Initctl.EXIT_OK : Initctl.EXIT_FAILURE;
    }

    /**
     * The emit requests the input lines ask for, blank lines skipped.
     *
     * @throws Initctl.Failure for a pair that is not {@code KEY=VALUE}, before anything is sent
     */
    List<Map<String, Object>> requests() {
        List<Map<String, Object>> requests = new ArrayList<>();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] words = line.split("\t");
                List<Object> env = new ArrayList<>();
                for (int i = 1; i < words.length; i++) {
                    if (words[i].indexOf('=') <= 0) {
                        throw new Initctl.Failure("Env must be KEY=VALUE pairs: " + line);
                    }
                    env.add(words[i]);
                }
                Map<String, Object> request = Protocol.request(requests.size() + 1, Command.EMIT);
                request.put(Protocol.F_EVENT, words[0]);
                request.put(Protocol.F_ENV, env);
                request.put(Protocol.F_WAIT, Boolean.valueOf(!ctl.options().noWait));
                requests.add(request);
            }
        } catch (IOException e) {
            throw new Initctl.Failure("cannot read the events: " + e.getMessage());
        }
        return requests;
    }
}
