package org.upshot.engine.internal.job;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.upshot.engine.internal.match.EventIndex;
import org.upshot.engine.internal.model.ExtensionStanza;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.event.Event;
import org.upshot.job.JobView;

/**
 * The loaded job definitions and their live instances, with the indexes that find the
 * definitions (start conditions) and instances (stop conditions) an event may concern.
 * Applies configuration changes and makes instances; engine thread only.
 */
final class JobRegistry {

    private final Map<String, JobEntry> entries = new TreeMap<>();
    private final EventIndex<JobEntry> startIndex = new EventIndex<>();
    private final EventIndex<Job> stopIndex = new EventIndex<>();
    private final Function<Job, JobContext> contexts;
    /** The daemon is stopping every job: nothing starts any more. */
    private boolean shuttingDown;

    /** From now on no job starts: the daemon is going down. */
    void shutDown() {
        shuttingDown = true;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    /** @param contexts makes each new instance's context: what it asks of the engine */

    JobRegistry(Function<Job, JobContext> contexts) {
        this.contexts = contexts;
    }

    /**
     * The definition named {@code name}, or null if there is none. A deleted definition
     * (its file removed, or held back for a plugin) is still found while an instance of it
     * runs, so that instance can be asked about and stopped.
     */
    JobEntry entry(String name) {
        JobEntry entry = entries.get(name);
        return entry == null || entry.deleted() && entry.idle() ? null : entry;
    }

    /** Definitions whose start condition mentions the event's name. */
    List<JobEntry> startSubscribers(Event event) {
        return startIndex.subscribers(event);
    }

    /** Live instances whose stop condition mentions the event's name. */
    List<Job> stopSubscribers(Event event) {
        return stopIndex.subscribers(event);
    }

    /** The instance named {@code name}, made (waiting, goal stop) if new. */
    Job instanceFor(JobEntry entry, String name, List<String> env) {
        Job job = entry.instance(name);
        if (job == null) {
            job = new Job(entry.jobClass(), name, env, entry.newStopCondition(), contexts);
            entry.add(job);
            if (job.stopCondition() != null) {
                stopIndex.add(job, job.stopCondition().matchers());
            }
        }
        return job;
    }

    /**
     * An instance came to rest stopped: drop it, and the definition if it was deleted
     * meanwhile; true if a definition went or was replaced by its pending one.
     */
    boolean forget(Job job) {
        if (job.stopCondition() != null) {
            job.stopCondition().reset();
            stopIndex.remove(job);
        }
        JobEntry entry = entries.get(job.jobClass().name());
        if (entry == null || !entry.remove(job) || !entry.idle()) {
            return false;
        }
        if (entry.deleted()) {
            unregister(entry);
            return true;
        }
        startIndex.remove(entry);
        boolean replaced = entry.settle();
        index(entry);
        return replaced;
    }

    /**
     * Adds or replaces {@code updated} and drops {@code removed}; with {@code complete},
     * {@code updated} is the whole set and anything else goes. A definition with live
     * instances is replaced or dropped once they have stopped.
     */
    void apply(Collection<JobClass> updated, Set<String> removed, boolean complete) {
        Map<String, JobClass> incoming = new LinkedHashMap<>();
        for (JobClass jobClass : updated) {
            incoming.put(jobClass.name(), jobClass);
        }
        for (JobEntry entry : List.copyOf(entries.values())) {
            String name = entry.jobClass().name();
            if (complete ? !incoming.containsKey(name) : removed.contains(name)) {
                if (entry.idle()) {
                    unregister(entry);
                } else {
                    entry.delete();
                }
            }
        }
        for (JobClass jobClass : incoming.values()) {
            JobEntry entry = entries.get(jobClass.name());
            if (entry == null) {
                entry = new JobEntry(jobClass);
                entries.put(jobClass.name(), entry);
                index(entry);
            } else if (!entry.jobClass().equals(jobClass) || entry.deleted()) {
                startIndex.remove(entry);
                entry.replace(jobClass);
                index(entry);
            }
        }
    }

    private void unregister(JobEntry entry) {
        startIndex.remove(entry);
        entry.releaseStartOn();
        entries.remove(entry.jobClass().name());
    }

    private void index(JobEntry entry) {
        if (entry.startOn() != null) {
            startIndex.add(entry, entry.startOn().matchers());
        }
    }

    /** Every definition, by name. */
    List<JobEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** Every definition's view, by name. */
    List<JobView> views() {
        List<JobView> out = new ArrayList<>(entries.size());
        for (JobEntry entry : entries.values()) {
            out.add(view(entry));
        }
        return out;
    }

    JobView view(JobEntry entry) {
        return view(entry, entry.instances());
    }

    /** {@code entry}'s view holding only {@code instances} (a selection of its own). */
    JobView view(JobEntry entry, Collection<Job> instances) {
        JobClass jobClass = entry.jobClass();
        Map<String, List<List<String>>> stanzas = new LinkedHashMap<>();
        for (ExtensionStanza stanza : jobClass.extensions()) {
            stanzas.computeIfAbsent(stanza.keyword(), k -> new ArrayList<>()).add(stanza.arguments());
        }
        return new JobView(jobClass.name(), jobClass.file(), jobClass.description(), jobClass.fullStartOn(),
                jobClass.fullStopOn(), jobClass.emits(), stanzas, instances.stream().map(Job::view).toList());
    }

    /** The engine's lines under each definition that {@code needs} others: {@code needs B}, one per job. */
    Map<String, List<String>> needsNotes() {
        Map<String, List<String>> out = new TreeMap<>();
        for (JobEntry entry : entries.values()) {
            List<String> needed = entry.jobClass().neededJobs();
            if (!needed.isEmpty()) {
                out.put(entry.jobClass().name(), needed.stream().map(name -> "needs " + name).toList());
            }
        }
        return out;
    }

    /** The live instances of every definition. */
    List<Job> allInstances() {
        List<Job> out = new ArrayList<>();
        for (JobEntry entry : entries.values()) {
            out.addAll(entry.instances());
        }
        return out;
    }
}
