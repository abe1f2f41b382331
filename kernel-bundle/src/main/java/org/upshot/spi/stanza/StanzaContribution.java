package org.upshot.spi.stanza;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.upshot.event.EventExpression;

/**
 * What one extension stanza adds to a job. Every part is optional.
 *
 * @param startOn a condition or-ed with the job's {@code start on}
 * @param stopOn a condition or-ed with the job's {@code stop on}
 * @param environment variables added to the job's processes (after {@code env} stanzas)
 * @param descriptors open file descriptors handed to the main process, numbered from 3
 *     in list order
 * @param readiness when the main process counts as ready, replacing {@code expect}
 * @param settings free-form canonical text of the stanza for {@code show-config}
 */
public record StanzaContribution(
        Optional<EventExpression> startOn,
        Optional<EventExpression> stopOn,
        Map<String, String> environment,
        List<InheritedDescriptor> descriptors,
        Optional<Readiness> readiness,
        String settings) {

    public StanzaContribution {
        environment = Map.copyOf(environment);
        descriptors = List.copyOf(descriptors);
    }

    /** A contribution that only adds a start condition. */
    public static StanzaContribution startOn(EventExpression condition, String settings) {
        return new StanzaContribution(Optional.of(condition), Optional.empty(), Map.of(), List.of(),
                Optional.empty(), settings);
    }
}
