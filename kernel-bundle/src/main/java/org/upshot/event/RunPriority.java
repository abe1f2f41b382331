package org.upshot.event;

/**
 * How urgently the processes of a run an event starts are scheduled, chosen by whoever
 * emits the event ({@link EventEmitter#emit(Event, java.util.List, RunPriority)}). A
 * request ({@code initctl start}) and an event without a priority start
 * {@link #NORMAL} runs.
 */
public enum RunPriority {

    /** As the job's own stanzas say. */
    NORMAL,

    /**
     * Work that should yield to everything else, such as a job started because the
     * system became idle: every process of the run gets nice 10 (unless the job has a
     * {@code nice} stanza, which wins) and the idle I/O scheduling class, so it gets disk
     * time only when nothing else wants it.
     */
    BACKGROUND
}
