package org.upshot.engine.internal.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.upshot.control.Json;
import org.upshot.event.Event;
import org.upshot.event.RunPriority;
import org.upshot.job.InstanceRef;

/**
 * What a daemon hands the program that replaces it ({@code initctl reexec}), written to a
 * file in the runtime directory just before the exec and read once by the new program.
 * JSON, so that a newer daemon can read an older one's. Only a daemon at rest is handed
 * over (see {@link Job#atRest()}), so this is all there is: the running instances, the
 * events that conditions hold half-matched, and the events emitted while the handover
 * was sealed.
 *
 * @param held the events conditions hold, each once; conditions refer to them by index
 * @param startConditions the half-matched {@code start on} of job classes
 * @param instances the running instances
 * @param emitted events emitted after the handover was sealed, to emit again, in order
 */
public record ReexecState(List<HeldEvent> held, List<ConditionState> startConditions, List<InstanceState> instances,
        List<EmittedEvent> emitted) {

    /** A handover of nothing: what is left when the state could not be read. */
    public static ReexecState nothing() {
        return new ReexecState(List.of(), List.of(), List.of(), List.of());
    }

    /** The format's version: a reader refuses others. */
    static final long FORMAT = 1;

    /** An event a condition holds; whether a job it started failed already. */
    public record HeldEvent(Event event, boolean failed) {}

    /**
     * One half-matched condition: its expression's text (a changed job file's condition
     * is not restored) and the held event's index by leaf, as {@code Condition.heldByLeaf}.
     */
    public record ConditionState(String job, String expression, Map<Integer, Integer> leaves) {}

    /** A running instance: its main process (with the process's start time), run environment, respawn count and stop condition. */
    public record InstanceState(InstanceRef ref, int pid, long startTicks, List<String> env, Job.RespawnHistory respawns,
            ConditionState stopCondition) {}

    /** An event a source emitted while sealed, with the source's name and the descriptors it carries. */
    public record EmittedEvent(Event event, RunPriority priority, String source, List<HeldDescriptor> descriptors) {}

    /** A descriptor an emitted event carries, kept open across the exec. */
    public record HeldDescriptor(int fd, String name, boolean standardIo) {}

    /** Writes the state to {@code file} (atomically: a half-written file is never read). */
    void write(Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        List<Object> events = new ArrayList<>();
        for (HeldEvent event : held) {
            Map<String, Object> out = eventJson(event.event());
            out.put("failed", event.failed());
            events.add(out);
        }
        root.put("held", events);
        root.put("startConditions", new ArrayList<Object>(startConditions.stream().map(ReexecState::conditionJson).toList()));
        List<Object> runs = new ArrayList<>();
        for (InstanceState instance : instances) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("job", instance.ref().job());
            out.put("instance", instance.ref().instance());
            out.put("pid", (long) instance.pid());
            out.put("startTicks", instance.startTicks());
            out.put("env", new ArrayList<Object>(instance.env()));
            out.put("respawnWindowStart", instance.respawns().windowStart());
            out.put("respawnCount", (long) instance.respawns().count());
            if (instance.stopCondition() != null) {
                out.put("stopCondition", conditionJson(instance.stopCondition()));
            }
            runs.add(out);
        }
        root.put("instances", runs);
        List<Object> later = new ArrayList<>();
        for (EmittedEvent event : emitted) {
            Map<String, Object> out = eventJson(event.event());
            out.put("priority", event.priority().name());
            out.put("source", event.source());
            List<Object> descriptors = new ArrayList<>();
            for (HeldDescriptor descriptor : event.descriptors()) {
                Map<String, Object> fd = new LinkedHashMap<>();
                fd.put("fd", (long) descriptor.fd());
                fd.put("name", descriptor.name());
                fd.put("standardIo", descriptor.standardIo());
                descriptors.add(fd);
            }
            out.put("descriptors", descriptors);
            later.add(out);
        }
        root.put("emitted", later);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, Json.write(root) + "\n");
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @throws IOException if the file cannot be read or is not a handover this daemon reads
     */
    public static ReexecState read(Path file) throws IOException {
        try {
            Map<String, Object> root = Json.parseObject(Files.readString(file));
            if (!Long.valueOf(FORMAT).equals(root.get("format"))) {
                throw new IOException(file + ": handover format " + root.get("format") + ", this daemon reads " + FORMAT);
            }
            List<HeldEvent> held = new ArrayList<>();
            for (Map<String, Object> event : objects(root.get("held"))) {
                held.add(new HeldEvent(event(event), Boolean.TRUE.equals(event.get("failed"))));
            }
            List<ConditionState> starts = new ArrayList<>();
            for (Map<String, Object> condition : objects(root.get("startConditions"))) {
                starts.add(condition(condition));
            }
            List<InstanceState> instances = new ArrayList<>();
            for (Map<String, Object> run : objects(root.get("instances"))) {
                Object stop = run.get("stopCondition");
                instances.add(new InstanceState(new InstanceRef((String) run.get("job"), (String) run.get("instance")),
                        number(run.get("pid")).intValue(), number(run.get("startTicks")), strings(run.get("env")),
                        new Job.RespawnHistory(number(run.get("respawnWindowStart")),
                                number(run.get("respawnCount")).intValue()),
                        stop == null ? null : condition(objects(List.of(stop)).get(0))));
            }
            List<EmittedEvent> emitted = new ArrayList<>();
            for (Map<String, Object> event : objects(root.get("emitted"))) {
                List<HeldDescriptor> descriptors = new ArrayList<>();
                for (Map<String, Object> fd : objects(event.get("descriptors"))) {
                    descriptors.add(new HeldDescriptor(number(fd.get("fd")).intValue(), (String) fd.get("name"),
                            Boolean.TRUE.equals(fd.get("standardIo"))));
                }
                emitted.add(new EmittedEvent(event(event), RunPriority.valueOf((String) event.get("priority")),
                        (String) event.get("source"), descriptors));
            }
            return new ReexecState(held, starts, instances, emitted);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IOException(file + ": not a handover this daemon reads: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> eventJson(Event event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", event.name());
        out.put("env", new ArrayList<Object>(event.env()));
        return out;
    }

    private static Event event(Map<String, Object> json) {
        return new Event((String) json.get("name"), strings(json.get("env")));
    }

    private static Map<String, Object> conditionJson(ConditionState condition) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job", condition.job());
        out.put("expression", condition.expression());
        List<Object> leaves = new ArrayList<>();
        condition.leaves().forEach((leaf, event) -> leaves.add(List.of((long) leaf, (long) event)));
        out.put("leaves", leaves);
        return out;
    }

    private static ConditionState condition(Map<String, Object> json) {
        Map<Integer, Integer> leaves = new LinkedHashMap<>();
        for (Object pair : (List<?>) json.get("leaves")) {
            List<?> leafAndEvent = (List<?>) pair;
            leaves.put(number(leafAndEvent.get(0)).intValue(), number(leafAndEvent.get(1)).intValue());
        }
        return new ConditionState((String) json.get("job"), (String) json.get("expression"), leaves);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Object list) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : (List<?>) list) {
            out.add((Map<String, Object>) item);
        }
        return out;
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        for (Object item : (List<?>) list) {
            out.add((String) item);
        }
        return out;
    }

    private static Long number(Object value) {
        return (Long) value;
    }
}
