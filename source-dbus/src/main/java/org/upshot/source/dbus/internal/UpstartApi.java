package org.upshot.source.dbus.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.connections.base.AbstractConnectionBase;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;
import org.upshot.control.Command;
import org.upshot.control.Protocol;
import org.upshot.event.EventExpression;
import org.upshot.job.InstanceChange;
import org.upshot.job.JobView;

/**
 * Upstart's D-Bus control API, {@code com.ubuntu.Upstart0_6} on {@code /com/ubuntu/Upstart}
 * (bus name {@code com.ubuntu.Upstart}), served on one bus through the daemon's control
 * protocol ({@link ControlClient}): {@code GetJobByName}, {@code GetAllJobs},
 * {@code EmitEvent}; per job {@code Start}, {@code Stop}, {@code Restart},
 * {@code GetInstance}, {@code GetInstanceByName}, {@code GetAllInstances}; per instance
 * the properties {@code name goal state processes}; the signals {@code JobAdded},
 * {@code JobRemoved}, {@code EventEmitted}, {@code InstanceAdded}, {@code InstanceRemoved}
 * and {@code StateChanged}. A call that changes something is refused with
 * {@code PermissionDenied} unless it comes from root (system bus) or the daemon's own
 * user (session bus).
 */
final class UpstartApi {

    private static final Logger LOG = System.getLogger("org.upshot.source.dbus.upstart");
    static final String BUS_NAME = "com.ubuntu.Upstart";
    static final String IFACE = "com.ubuntu.Upstart0_6";
    static final String JOB_IFACE = IFACE + ".Job";
    static final String INSTANCE_IFACE = IFACE + ".Instance";
    static final String ERROR = IFACE + ".Error.";

    /** The manager object. */
    @DBusInterfaceName(IFACE)
    public interface Manager extends DBusInterface {
        DBusPath GetJobByName(String name);

        List<DBusPath> GetAllJobs();

        void EmitEvent(String name, List<String> env, boolean wait);

        String GetState();

        /** A job was loaded. */
        class JobAdded extends DBusSignal {
            public JobAdded(String path, DBusPath job) throws DBusException {
                super(path, job);
            }
        }

        /** A job was removed. */
        class JobRemoved extends DBusSignal {
            public JobRemoved(String path, DBusPath job) throws DBusException {
                super(path, job);
            }
        }

        /** An event was handled. */
        class EventEmitted extends DBusSignal {
            public EventEmitted(String path, String name, List<String> env) throws DBusException {
                super(path, name, env);
            }
        }
    }

    /** A job object. */
    @DBusInterfaceName(JOB_IFACE)
    public interface Job extends DBusInterface {
        DBusPath GetInstance(List<String> env);

        DBusPath GetInstanceByName(String name);

        List<DBusPath> GetAllInstances();

        DBusPath Start(List<String> env, boolean wait);

        void Stop(List<String> env, boolean wait);

        DBusPath Restart(List<String> env, boolean wait);

        /** An instance appeared. */
        class InstanceAdded extends DBusSignal {
            public InstanceAdded(String path, DBusPath instance) throws DBusException {
                super(path, instance);
            }
        }

        /** An instance went. */
        class InstanceRemoved extends DBusSignal {
            public InstanceRemoved(String path, DBusPath instance) throws DBusException {
                super(path, instance);
            }
        }
    }

    /** An instance object: its signals (its properties come through {@link Properties}). */
    @DBusInterfaceName(INSTANCE_IFACE)
    public interface Instance extends DBusInterface {
        /** The instance changed state. */
        class StateChanged extends DBusSignal {
            public StateChanged(String path, String state) throws DBusException {
                super(path, state);
            }
        }
    }

    /** One element of {@code processes}: {@code (si)}. */
    public static final class ProcessEntry extends Struct {
        @Position(0)
        public final String kind;
        @Position(1)
        public final int pid;

        public ProcessEntry(String kind, int pid) {
            this.kind = kind;
            this.pid = pid;
        }
    }

    private final BusKind bus;
    private final ControlClient control;
    private final int ownUid;
    private volatile DBusConnection connection;
    private volatile DBus driver;
    private volatile Set<String> jobs = new TreeSet<>();
    private volatile Map<String, JobView> views = Map.of();
    private SocketChannel events;

    UpstartApi(BusKind bus, Path controlSocket) {
        this.bus = bus;
        this.control = new ControlClient(controlSocket);
        this.ownUid = ownUid();
    }

    private static int ownUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return 0;
    }

    /** Serves the API on {@code connection} (a new one after each reconnect). */
    void export(DBusConnection connection, DBus driver) {
        this.connection = connection;
        this.driver = driver;
        try {
            connection.exportObject(UpstartPaths.ROOT, new ManagerObject());
            connection.addFallback(UpstartPaths.JOBS, new JobObject());
            connection.requestBusName(BUS_NAME);
            LOG.log(Level.INFO, "dbus: serving " + IFACE + " as " + BUS_NAME + " on the " + bus.shortName() + " bus");
        } catch (DBusException | RuntimeException e) {
            LOG.log(Level.WARNING, "dbus: cannot serve " + IFACE + " on the " + bus.shortName() + " bus: "
                    + e.getMessage());
        }
        followEvents();
    }

    /** Stops the event stream. */
    synchronized void close() {
        connection = null;
        if (events != null) {
            try {
                events.close();
            } catch (IOException e) {
                // closing anyway
            }
            events = null;
        }
    }

    private synchronized void followEvents() {
        if (events != null) {
            return;
        }
        try {
            events = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            return;
        }
        SocketChannel channel = events;
        Thread reader = new Thread(() -> {
            try {
                control.follow(channel, event -> {
                    Object name = event.get("name");
                    Object env = event.get("env");
                    List<String> vars = new ArrayList<>();
                    if (env instanceof List<?> list) {
                        list.forEach(item -> vars.add(String.valueOf(item)));
                    }
                    if (name instanceof String text) {
                        send(() -> new Manager.EventEmitted(UpstartPaths.ROOT, text, vars));
                    }
                });
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, "dbus: event stream ended: " + e.getMessage());
            } finally {
                synchronized (UpstartApi.this) {
                    if (events == channel) {
                        events = null;
                    }
                }
            }
        }, "upshot-dbus-events");
        reader.setDaemon(true);
        reader.start();
    }

    private interface SignalMaker {
        DBusSignal make() throws DBusException;
    }

    private void send(SignalMaker maker) {
        DBusConnection current = connection;
        if (current == null) {
            return;
        }
        try {
            current.sendMessage(maker.make());
        } catch (DBusException | RuntimeException e) {
            LOG.log(Level.DEBUG, "dbus: signal not sent: " + e.getMessage());
        }
    }

    /** The loaded jobs: JobAdded and JobRemoved for the difference. */
    void jobsChanged(Collection<JobView> views) {
        Set<String> now = new TreeSet<>();
        Map<String, JobView> byName = new LinkedHashMap<>();
        for (JobView view : views) {
            now.add(view.name());
            byName.put(view.name(), view);
        }
        Set<String> before = jobs;
        jobs = now;
        this.views = byName;
        for (String job : now) {
            if (!before.contains(job)) {
                send(() -> new Manager.JobAdded(UpstartPaths.ROOT, new DBusPath(UpstartPaths.job(job))));
            }
        }
        for (String job : before) {
            if (!now.contains(job)) {
                send(() -> new Manager.JobRemoved(UpstartPaths.ROOT, new DBusPath(UpstartPaths.job(job))));
            }
        }
    }

    /** An instance's milestone: StateChanged, and InstanceAdded/Removed at the ends of a run. */
    void instanceChanged(InstanceChange change) {
        String job = change.instance().job();
        String path = UpstartPaths.instance(job, change.instance().instance());
        String state = switch (change.phase()) {
            case STARTING -> "starting";
            case STARTED -> "running";
            case STOPPING -> "stopping";
            case STOPPED -> "waiting";
        };
        if (change.phase() == InstanceChange.Phase.STARTING) {
            send(() -> new Job.InstanceAdded(UpstartPaths.job(job), new DBusPath(path)));
        }
        send(() -> new Instance.StateChanged(path, state));
        if (change.phase() == InstanceChange.Phase.STOPPED) {
            send(() -> new Job.InstanceRemoved(UpstartPaths.job(job), new DBusPath(path)));
        }
    }

    // ---- calls ----

    private static DBusExecutionException error(String name, String message) {
        return switch (name) {
            case ERROR + "UnknownJob" -> new com.ubuntu.Upstart0_6.Error.UnknownJob(message);
            case ERROR + "UnknownInstance" -> new com.ubuntu.Upstart0_6.Error.UnknownInstance(message);
            case ERROR + "AlreadyStarted" -> new com.ubuntu.Upstart0_6.Error.AlreadyStarted(message);
            case ERROR + "AlreadyStopped" -> new com.ubuntu.Upstart0_6.Error.AlreadyStopped(message);
            case ERROR + "PermissionDenied" -> new com.ubuntu.Upstart0_6.Error.PermissionDenied(message);
            case ERROR + "JobFailed" -> new com.ubuntu.Upstart0_6.Error.JobFailed(message);
            case ERROR + "EventFailed" -> new com.ubuntu.Upstart0_6.Error.EventFailed(message);
            case "org.freedesktop.DBus.Error.InvalidArgs" -> new org.freedesktop.DBus.Error.InvalidArgs(message);
            case "org.freedesktop.DBus.Error.UnknownObject" -> new org.freedesktop.DBus.Error.UnknownObject(message);
            case "org.freedesktop.DBus.Error.UnknownProperty" -> new org.freedesktop.DBus.Error.UnknownProperty(message);
            case "org.freedesktop.DBus.Error.PropertyReadOnly" -> new org.freedesktop.DBus.Error.PropertyReadOnly(message);
            default -> new org.freedesktop.DBus.Error.Failed(message);
        };
    }

    /** Refuses a change unless the caller is root (system bus) or the daemon's user (session bus). */
    private void mayChange() {
        String sender = AbstractConnectionBase.getCallInfo() == null ? null
                : AbstractConnectionBase.getCallInfo().getSource();
        DBus current = driver;
        int uid = -1;
        if (sender != null && current != null) {
            try {
                uid = current.GetConnectionUnixUser(sender).intValue();
            } catch (RuntimeException e) {
                uid = -1;
            }
        }
        boolean allowed = bus == BusKind.SYSTEM ? uid == 0 : uid == ownUid || uid == 0;
        if (!allowed) {
            throw error(ERROR + "PermissionDenied", "You do not have permission to perform this operation");
        }
    }

    private Map<String, Object> call(Command command, Map<String, Object> fields) {
        try {
            return control.request(command, fields);
        } catch (ControlClient.Refused e) {
            throw error(errorName(e.code), e.getMessage());
        } catch (IOException e) {
            throw error("org.freedesktop.DBus.Error.Failed", "Upshot's control socket: " + e.getMessage());
        }
    }

    private static String errorName(String code) {
        return switch (code) {
            case "UNKNOWN_JOB" -> ERROR + "UnknownJob";
            case "UNKNOWN_INSTANCE" -> ERROR + "UnknownInstance";
            case "ALREADY_RUNNING" -> ERROR + "AlreadyStarted";
            case "ALREADY_STOPPED" -> ERROR + "AlreadyStopped";
            case "PERMISSION_DENIED" -> ERROR + "PermissionDenied";
            case "BAD_ARGUMENT" -> "org.freedesktop.DBus.Error.InvalidArgs";
            case "FAILED" -> ERROR + "JobFailed";
            default -> "org.freedesktop.DBus.Error.Failed";
        };
    }

    private static void checkEnv(List<String> env) {
        for (String entry : env) {
            if (entry.indexOf('=') <= 0) {
                throw error("org.freedesktop.DBus.Error.InvalidArgs", "Env must be KEY=VALUE pairs");
            }
        }
    }

    private String jobOf(String path) {
        String rest = path.startsWith(UpstartPaths.JOBS + "/") ? path.substring(UpstartPaths.JOBS.length() + 1) : "";
        String element = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        Optional<String> job = UpstartPaths.unescape(element);
        if (job.isEmpty() || !jobs.contains(job.get())) {
            throw error("org.freedesktop.DBus.Error.UnknownObject", "Unknown object " + path);
        }
        return job.get();
    }

    private static String callPath() {
        return AbstractConnectionBase.getCallInfo() == null ? "" : AbstractConnectionBase.getCallInfo().getObjectPath();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> instances(String job) {
        Object reply = call(Command.STATUS, Map.of(Protocol.F_JOB, job)).get(Protocol.F_JOB);
        if (reply instanceof Map<?, ?> map && map.get("instances") instanceof List<?> list) {
            return (List<Map<String, Object>>) list;
        }
        return List.of();
    }

    private Map<String, Object> instance(String path) {
        String job = jobOf(path);
        String element = path.substring(path.lastIndexOf('/') + 1);
        Optional<String> name = UpstartPaths.unescape(element);
        if (name.isPresent()) {
            for (Map<String, Object> instance : instances(job)) {
                if (name.get().equals(instance.get("instance"))) {
                    return instance;
                }
            }
        }
        throw error(ERROR + "UnknownInstance", "Unknown instance: " + path);
    }

    /**
     * A condition as Upstart's {@code start_on}/{@code stop_on}: the tree in post-order,
     * each match {@code [event, "K=V", ...]} (a positional value as it is), each operator
     * {@code ["/AND"]} or {@code ["/OR"]}.
     */
    static List<List<String>> rpn(Optional<EventExpression> condition) {
        List<List<String>> out = new ArrayList<>();
        condition.ifPresent(expression -> rpn(expression, out));
        return out;
    }

    private static void rpn(EventExpression expression, List<List<String>> out) {
        if (expression instanceof EventExpression.And and) {
            rpn(and.left(), out);
            rpn(and.right(), out);
            out.add(List.of("/AND"));
        } else if (expression instanceof EventExpression.Or or) {
            rpn(or.left(), out);
            rpn(or.right(), out);
            out.add(List.of("/OR"));
        } else if (expression instanceof EventExpression.Match match) {
            List<String> element = new ArrayList<>();
            element.add(match.event());
            for (EventExpression.Argument argument : match.arguments()) {
                element.add(argument.toString());
            }
            out.add(element);
        }
    }

    /** {@code /com/ubuntu/Upstart}. */
    private final class ManagerObject implements Manager, Properties {
        @Override
        public DBusPath GetJobByName(String name) {
            if (!jobs.contains(name)) {
                throw error(ERROR + "UnknownJob", "Unknown job: " + name);
            }
            return new DBusPath(UpstartPaths.job(name));
        }

        @Override
        public List<DBusPath> GetAllJobs() {
            List<DBusPath> paths = new ArrayList<>();
            for (String job : jobs) {
                paths.add(new DBusPath(UpstartPaths.job(job)));
            }
            return paths;
        }

        @Override
        public void EmitEvent(String name, List<String> env, boolean wait) {
            if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
                throw error("org.freedesktop.DBus.Error.InvalidArgs", "Name may not be empty string");
            }
            checkEnv(env);
            mayChange();
            try {
                control.request(Command.EMIT, Map.of(Protocol.F_EVENT, name, Protocol.F_ENV, env, Protocol.F_WAIT, wait));
            } catch (ControlClient.Refused e) {
                throw error(e.code.equals("FAILED") ? ERROR + "EventFailed" : errorName(e.code), e.getMessage());
            } catch (IOException e) {
                throw error("org.freedesktop.DBus.Error.Failed", "Upshot's control socket: " + e.getMessage());
            }
        }

        @Override
        public String GetState() {
            return "";
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A> A Get(String iface, String property) {
            if (property.equals("version")) {
                Object version = call(Command.VERSION, Map.of()).get("version");
                return (A) String.valueOf(version);
            }
            throw error("org.freedesktop.DBus.Error.UnknownProperty", "Unknown property " + property);
        }

        @Override
        public <A> void Set(String iface, String property, A value) {
            throw error("org.freedesktop.DBus.Error.PropertyReadOnly", "Property " + property + " is read-only");
        }

        @Override
        public Map<String, Variant<?>> GetAll(String iface) {
            Map<String, Variant<?>> all = new LinkedHashMap<>();
            all.put("version", new Variant<>(String.valueOf(call(Command.VERSION, Map.of()).get("version"))));
            return all;
        }

        @Override
        public String getObjectPath() {
            return UpstartPaths.ROOT;
        }
    }

    /** Every {@code /com/ubuntu/Upstart/jobs/...} object: a job, or (one element deeper) an instance. */
    private final class JobObject implements Job, Instance, Properties {
        @Override
        public DBusPath GetInstance(List<String> env) {
            String job = jobOf(callPath());
            checkEnv(env);
            Object reply = call(Command.STATUS, Map.of(Protocol.F_JOB, job, Protocol.F_ENV, env)).get(Protocol.F_JOB);
            if (reply instanceof Map<?, ?> map && map.get("instances") instanceof List<?> list && !list.isEmpty()
                    && list.get(0) instanceof Map<?, ?> instance) {
                return new DBusPath(UpstartPaths.instance(job, String.valueOf(instance.get("instance"))));
            }
            throw error(ERROR + "UnknownInstance", "Unknown instance: " + job);
        }

        @Override
        public DBusPath GetInstanceByName(String name) {
            String job = jobOf(callPath());
            for (Map<String, Object> instance : instances(job)) {
                if (name.equals(instance.get("instance"))) {
                    return new DBusPath(UpstartPaths.instance(job, name));
                }
            }
            throw error(ERROR + "UnknownInstance", "Unknown instance: " + name);
        }

        @Override
        public List<DBusPath> GetAllInstances() {
            String job = jobOf(callPath());
            List<DBusPath> paths = new ArrayList<>();
            for (Map<String, Object> instance : instances(job)) {
                paths.add(new DBusPath(UpstartPaths.instance(job, String.valueOf(instance.get("instance")))));
            }
            return paths;
        }

        private Map<String, Object> control(Command command, List<String> env, boolean wait) {
            String job = jobOf(callPath());
            checkEnv(env);
            mayChange();
            return call(command, Map.of(Protocol.F_JOB, job, Protocol.F_ENV, env, Protocol.F_WAIT, wait));
        }

        private DBusPath instancePath(Map<String, Object> reply) {
            Object instance = reply.get(Protocol.F_INSTANCE);
            String name = instance instanceof Map<?, ?> map ? String.valueOf(map.get("instance"))
                    : instance == null ? "" : String.valueOf(instance);
            return new DBusPath(UpstartPaths.instance(jobOf(callPath()), name));
        }

        @Override
        public DBusPath Start(List<String> env, boolean wait) {
            return instancePath(control(Command.START, env, wait));
        }

        @Override
        public void Stop(List<String> env, boolean wait) {
            control(Command.STOP, env, wait);
        }

        @Override
        public DBusPath Restart(List<String> env, boolean wait) {
            return instancePath(control(Command.RESTART, env, wait));
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A> A Get(String iface, String property) {
            Variant<?> value = GetAll(iface).get(property);
            if (value == null) {
                throw error("org.freedesktop.DBus.Error.UnknownProperty", "Unknown property " + property);
            }
            return (A) value.getValue();
        }

        @Override
        public <A> void Set(String iface, String property, A value) {
            throw error("org.freedesktop.DBus.Error.PropertyReadOnly", "Property " + property + " is read-only");
        }

        @Override
        public Map<String, Variant<?>> GetAll(String iface) {
            String path = callPath();
            String job = jobOf(path);
            Map<String, Variant<?>> all = new LinkedHashMap<>();
            boolean isInstance = path.substring(UpstartPaths.JOBS.length() + 1).contains("/");
            if (!isInstance) {
                all.put("name", new Variant<>(job));
                JobView view = views.get(job);
                all.put("description", new Variant<>(view == null ? "" : view.description().orElse("")));
                all.put("author", new Variant<>(""));
                all.put("version", new Variant<>(""));
                all.put("usage", new Variant<>(""));
                all.put("start_on", new Variant<>(rpn(view == null ? Optional.empty() : view.startOn()), "aas"));
                all.put("stop_on", new Variant<>(rpn(view == null ? Optional.empty() : view.stopOn()), "aas"));
                all.put("emits", new Variant<>(view == null ? List.of() : List.copyOf(view.emits()), "as"));
                return all;
            }
            Map<String, Object> instance = instance(path);
            all.put("name", new Variant<>(String.valueOf(instance.get("instance"))));
            all.put("goal", new Variant<>(String.valueOf(instance.get("goal"))));
            all.put("state", new Variant<>(String.valueOf(instance.get("state"))));
            List<ProcessEntry> processes = new ArrayList<>();
            if (instance.get("processes") instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof Map<?, ?> process && process.get("pid") instanceof Number pid) {
                        processes.add(new ProcessEntry(String.valueOf(process.get("process")), pid.intValue()));
                    }
                }
            }
            all.put("processes", new Variant<>(processes, "a(si)"));
            return all;
        }

        @Override
        public String getObjectPath() {
            return UpstartPaths.JOBS;
        }
    }
}
