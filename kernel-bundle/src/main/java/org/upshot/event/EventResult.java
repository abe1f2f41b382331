package org.upshot.event;

/** How an event ended once every job it started or stopped had come to rest. */
public enum EventResult {
    /** Every job the event affected reached its goal. */
    OK,
    /** A job the event started or stopped failed; the engine also emits {@code NAME/failed}. */
    FAILED
}
