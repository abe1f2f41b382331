package org.upshot.ctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.upshot.control.Command;
import org.upshot.control.Protocol;

/**
 * {@code initctl graph [--format dot|svg] [--output FILE] [JOB]...}: asks the daemon for
 * {@code show-config} and {@code list} on one connection (two pipelined requests, answered
 * in order), builds a {@link GraphModel} and writes it as DOT or SVG ({@link GraphFormat}).
 * Without {@code --format}, an output file named {@code *.svg} gets SVG, anything else DOT.
 */
final class GraphCommand {

    /** The command word; not a protocol command, the client composes it. */
    static final String NAME = "graph";

    private final Initctl ctl;
    private final List<String> jobs;

    GraphCommand(Initctl ctl, List<String> jobs) {
        this.ctl = ctl;
        this.jobs = jobs;
    }

    int run() {
        String output = ctl.options().output;
        String format = ctl.options().format;
        if (format == null) {
            format = output != null && output.endsWith(".svg") ? "svg" : "dot";
        }
        if (!"dot".equals(format) && !"svg".equals(format)) {
            throw new Initctl.UsageException("--format must be dot or svg, not " + format);
        }
        Map<String, Object> config;
        Map<String, Object> list;
        try (ControlClient client = ctl.connect()) {
            client.send(Protocol.request(1, Command.SHOW_CONFIG));
            client.send(Protocol.request(2, Command.LIST));
            config = reply(client);
            list = reply(client);
        } catch (IOException e) {
            throw new Initctl.Failure("lost the connection to the daemon: " + e.getMessage());
        }
        GraphModel graph = GraphModel.of((List<?>) config.get("jobs"), (List<?>) list.get("jobs"), jobs);
        String text = "svg".equals(format) ? GraphFormat.svg(graph, ctl.environment()) : GraphFormat.dot(graph);
        if (output == null || "-".equals(output)) {
            ctl.out().print(text);
            ctl.out().flush();
            return Initctl.EXIT_OK;
        }
        try {
            Files.write(Path.of(output), text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Initctl.Failure("cannot write " + output + ": " + e.getMessage());
        }
        return Initctl.EXIT_OK;
    }

    private static Map<String, Object> reply(ControlClient client) throws IOException {
        Map<String, Object> reply = client.receive();
        if (reply == null) {
            throw new Initctl.Failure("the daemon closed the connection without replying");
        }
        if (!Boolean.TRUE.equals(reply.get(Protocol.F_OK))) {
            throw new Initctl.Failure(String.valueOf(reply.get(Protocol.F_MESSAGE)));
        }
        return reply;
    }
}
