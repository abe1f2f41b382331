package org.upshot.engine.internal.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.upshot.event.Event;
import org.upshot.job.InstanceView;
import org.upshot.job.JobView;
import org.upshot.job.ProcessKind;

/** Job views and events as the JSON values of the control protocol. */
final class Views {

    private Views() {
    }

    /**
     * {@code {"job":..,"instance":..,"goal":..,"state":..,"processes":[{"process":..,"pid":..}]}},
     * processes in {@link ProcessKind} order, the order status lines list them in.
     * The environment is left out: readers other than root may ask for status.
     */
    static Map<String, Object> instance(InstanceView view) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("job", view.job());
        json.put("instance", view.instance());
        json.put("goal", view.goal().label());
        json.put("state", view.state().label());
        List<Object> processes = new ArrayList<>();
        for (ProcessKind kind : ProcessKind.values()) {
            Integer pid = view.processes().get(kind);
            if (pid != null) {
                Map<String, Object> process = new LinkedHashMap<>();
                process.put("process", kind.label());
                process.put("pid", Long.valueOf(pid));
                processes.add(process);
            }
        }
        json.put("processes", processes);
        return json;
    }

    /** {@code {"name":..,"instances":[...],"notes":[...]}}, the notes being what the event sources show. */
    static Map<String, Object> job(JobView view, List<String> notes) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", view.name());
        List<Object> instances = new ArrayList<>();
        for (InstanceView instance : view.instances()) {
            instances.add(instance(instance));
        }
        json.put("instances", instances);
        json.put("notes", new ArrayList<Object>(notes));
        return json;
    }

    /** {@code {"name":..,"env":[...]}}. */
    static Map<String, Object> event(Event event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", event.name());
        json.put("env", new ArrayList<Object>(event.env()));
        return json;
    }
}
