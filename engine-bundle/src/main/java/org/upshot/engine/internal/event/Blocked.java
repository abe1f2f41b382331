package org.upshot.engine.internal.event;

/**
 * Something waiting for a job to come to rest: an event that started or stopped it,
 * or a control request issued with {@code --wait}. Engine thread only.
 */
public interface Blocked {

    /**
     * The job this waited for is at rest (a service running, a task finished, or
     * stopped).
     *
     * @param failed the job failed on the way
     */
    void release(boolean failed);
}
