package org.upshot.engine.internal.api;

import java.util.Optional;

/**
 * A bound event source as {@code initctl sources} shows it.
 *
 * @param name the declared source name
 * @param bundle the symbolic name of the bundle it comes from
 * @param disabled why it was disabled (threw, hung, flooded), empty while it runs
 * @param events the events it emitted that the engine took
 * @param dropped the events dropped for being over its limit
 * @param perSecond its sustained event limit
 * @param burst its burst limit
 */
public record SourceStatus(String name, String bundle, Optional<String> disabled, long events, long dropped,
        int perSecond, int burst) {}
