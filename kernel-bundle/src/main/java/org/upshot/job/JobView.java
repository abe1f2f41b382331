package org.upshot.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.upshot.event.EventExpression;

/**
 * A snapshot of one loaded job definition, as sources and tools see it.
 *
 * @param name the job's name ({@code net/foo})
 * @param file the job file it was read from
 * @param description the {@code description} stanza, if any
 * @param startOn the full start condition, extension conditions included
 * @param stopOn the full stop condition
 * @param emits the events the job declares it emits
 * @param stanzas extension stanzas by keyword, each occurrence's arguments in order
 *     (so a source can find its own stanzas, e.g. {@code watch})
 * @param instances the live instances; empty when the job is stopped
 */
public record JobView(String name, Path file, Optional<String> description,
        Optional<EventExpression> startOn, Optional<EventExpression> stopOn, List<String> emits,
        Map<String, List<List<String>>> stanzas, List<InstanceView> instances) {

    public JobView {
        emits = List.copyOf(emits);
        stanzas = Map.copyOf(stanzas);
        instances = List.copyOf(instances);
    }
}
