package org.upshot.engine.internal.journal;

/**
 * One thing the engine did, at {@code micros} since the daemon started.
 *
 * @param job the job's name; empty for events and the daemon's own entries
 * @param instance the instance's name; empty for a singleton and for events
 * @param what a state's label ({@code pre-start}), a process kind's label ({@code main}),
 *     a failure ({@code main status 1}), or an event as {@code name KEY=VALUE...}
 * @param pid the process spawned ({@link Kind#SPAWN}); 0 otherwise
 */
public record JournalEntry(long micros, Kind kind, String job, String instance, String what, int pid) {

    /** What an entry records, with its name in the control protocol. */
    public enum Kind {
        /** The engine started: {@code what} is {@code engine}. */
        DAEMON("daemon"),
        /** An instance entered the state {@code what}. */
        STATE("state"),
        /** A process of kind {@code what} was spawned as {@code pid}. */
        SPAWN("spawn"),
        /** A run failed; {@code what} names the process and its exit ({@code main status 1}). */
        FAILED("failed"),
        /** An event was queued. */
        EVENT_QUEUED("event-queued"),
        /** An event was handled: the jobs it starts or stops were told. */
        EVENT_HANDLED("event-handled"),
        /** An event finished: nothing blocks it any more. */
        EVENT_FINISHED("event-finished");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
