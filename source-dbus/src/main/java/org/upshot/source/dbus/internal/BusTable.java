package org.upshot.source.dbus.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.matchrules.DBusMatchRule;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.upshot.daemon.DaemonSettings;
import org.upshot.event.Event;
import org.upshot.event.EventExpression;
import org.upshot.event.EventResult;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobView;
import org.upshot.spi.source.SourceContext;
import org.upshot.spi.stanza.ReadinessTarget;

/**
 * The daemon's connections to the message buses and what they are used for: names that
 * make jobs ready, names whose loss ends a job, and activation requests from a
 * {@code dbus-daemon --systemd-activation}, for which the daemon owns
 * {@code org.freedesktop.systemd1}. Shared by the stanzas (readiness) and the dbus source
 * ({@link #attach}). One thread ({@code upshot-dbus}) makes every blocking bus call. See
 * the package documentation for the rules.
 */
@Component(service = BusTable.class)
public final class BusTable {

    private static final Logger LOG = System.getLogger("org.upshot.source.dbus");
    /**
     * dbus-java's own loggers (through slf4j to the daemon's log): warnings only, and none
     * from its connection threads, whose lost-bus stack traces this table reports itself,
     * once. Held so that the levels stay set.
     */
    private static final List<java.util.logging.Logger> LIBRARY_LOGS = List.of(
            quiet("org.freedesktop.dbus", java.util.logging.Level.WARNING),
            quiet("org.freedesktop.dbus.connections", java.util.logging.Level.OFF));

    private static java.util.logging.Logger quiet(String name, java.util.logging.Level level) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(level);
        return logger;
    }
    static final String SYSTEMD = "org.freedesktop.systemd1";
    static final String ACTIVATOR = "org.freedesktop.systemd1.Activator";
    static final String DBUS_NAME = "org.freedesktop.DBus";
    static final String DBUS_PATH = "/org/freedesktop/DBus";
    static final String NO_SUCH_UNIT = "org.freedesktop.systemd1.NoSuchUnit";
    static final String START_FAILED = "org.freedesktop.DBus.Error.Spawn.ChildExited";
    static final String REFUSED = "org.freedesktop.DBus.Error.Spawn.Failed";
    /** {@code PROCESS} of a run that gave up its bus name. */
    static final String NAME_LOST = "dbus";
    private static final long FIRST_RETRY_MILLIS = 250;
    private static final long MAX_RETRY_MILLIS = 30_000;
    /** How long dbus-java retries a connect itself (it sleeps in between): the backoff retries instead. */
    private static final int CONNECT_TIMEOUT_MILLIS = 200;

    /** One instance waiting for its name, or holding it. */
    private record Watch(BusKind bus, String name, ReadinessTarget target, CompletableFuture<Integer> ready) {}

    /** One bus: its connection and what depends on it. Guarded by the table. */
    private final class Bus {
        final BusKind kind;
        String address;
        DBusConnection connection;
        DBus driver;
        boolean connecting;
        boolean ownsSystemd;
        long retryMillis = FIRST_RETRY_MILLIS;
        /** The last failure logged, so that a failure is logged once until it changes. */
        String lastProblem;
        /** Well-known name to the job whose dbus stanza claims it. */
        Map<String, String> activated = new TreeMap<>();
        /** Jobs with expect dbus on this bus (without a dbus stanza). */
        Set<String> readinessOnly = new HashSet<>();
        /** Some job's start on waits for dbus-activate on this bus: act as systemd1 too. */
        boolean activateOn;
        /** The match rules the jobs' dbus conditions ask for on this bus. */
        Set<DBusMatchRule> signalRules = new HashSet<>();
        /** The rules subscribed on the current connection, with what removes each. */
        Map<DBusMatchRule, AutoCloseable> subscribed = new HashMap<>();
        /** The last signals turned into events, so that one matching two rules is one event. */
        final java.util.ArrayDeque<DBusSignal> recent = new java.util.ArrayDeque<>();

        Bus(BusKind kind) {
            this.kind = kind;
        }

        boolean wanted() {
            return activates() || !readinessOnly.isEmpty() || !signalRules.isEmpty()
                    || api != null && apiBus == kind || watches.values().stream()
                    .anyMatch(watch -> watch.bus() == kind);
        }

        boolean activates() {
            return !activated.isEmpty() || activateOn;
        }

        String label() {
            return "the " + kind.shortName() + " bus" + (address == null ? "" : " (" + address + ")");
        }
    }

    private final Map<BusKind, Bus> buses = new EnumMap<>(BusKind.class);
    /** Instances waiting for their name (ready not done) or holding it (done). */
    private final Map<InstanceRef, Watch> watches = new HashMap<>();
    /** Why each job's last run failed, for the activation failure's message. */
    private final Map<String, String> lastFailure = new HashMap<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "upshot-dbus");
        thread.setDaemon(true);
        return thread;
    });
    private Function<String, String> properties = System::getProperty;
    private Function<String, String> environment = System::getenv;
    private DaemonSettings.Mode mode = DaemonSettings.Mode.SESSION;
    private List<Path> serviceDirs = List.of();
    private SourceContext context;
    private boolean closed;
    /** The bus Upstart's D-Bus API is served on ({@code upshot.dbus.api}), if any. */
    private BusKind apiBus;
    /** The API, while the source runs and {@link #apiBus} is set. */
    private UpstartApi api;

    public BusTable() {
        for (BusKind kind : BusKind.values()) {
            buses.put(kind, new Bus(kind));
        }
    }

    @Activate
    void activate(BundleContext bundle) {
        configure(bundle::getProperty, System::getenv,
                DaemonSettings.fromProperties(bundle::getProperty, DaemonSettings.Facts.current()).mode());
    }

    /** Where addresses and the default bus come from (tests point them at a private bus). */
    public synchronized void configure(Function<String, String> properties, Function<String, String> environment,
            DaemonSettings.Mode mode) {
        this.properties = properties;
        this.environment = environment;
        this.mode = mode;
        for (Bus bus : buses.values()) {
            bus.address = bus.kind.address(properties, environment).orElse(null);
        }
        serviceDirs = ServiceFiles.searchPath(properties, environment, mode);
        String served = properties.apply(API_PROPERTY);
        apiBus = served == null || served.isBlank() || served.equalsIgnoreCase("false") || served.equals("off") ? null
                : served.equalsIgnoreCase("true") || served.equals("on") ? defaultBus()
                : BusKind.of(served).orElse(null);
    }

    /** The property that serves Upstart's D-Bus API: {@code system}, {@code session}, or {@code true} (the mode's bus). */
    public static final String API_PROPERTY = "upshot.dbus.api";

    @Deactivate
    public void close() {
        List<DBusConnection> open = new ArrayList<>();
        synchronized (this) {
            closed = true;
            context = null;
            for (Bus bus : buses.values()) {
                if (bus.connection != null) {
                    open.add(bus.connection);
                }
                bus.connection = null;
                bus.driver = null;
            }
            for (Watch watch : watches.values()) {
                watch.ready().completeExceptionally(new IllegalStateException("the dbus source stopped"));
            }
            watches.clear();
            if (api != null) {
                api.close();
                api = null;
            }
        }
        executor.shutdownNow();
        open.forEach(DBusConnection::disconnect);
    }

    /** The bus {@code expect dbus NAME} means: the system bus in system mode, else the session bus. */
    public synchronized BusKind defaultBus() {
        return mode == DaemonSettings.Mode.SYSTEM ? BusKind.SYSTEM : BusKind.SESSION;
    }

    /**
     * The Upshot job that runs {@code bus}'s daemon, if the daemon's property
     * {@code upshot.dbus.system.job} / {@code upshot.dbus.session.job} names one: every job
     * with a dbus stanza on that bus needs it.
     */
    public synchronized Optional<String> busJob(BusKind bus) {
        String job = properties.apply(bus.jobProperty());
        return job == null || job.isBlank() ? Optional.empty() : Optional.of(job.strip());
    }

    /** The address of {@code bus}, if one is known. */
    public synchronized Optional<String> address(BusKind bus) {
        return Optional.ofNullable(buses.get(bus).address);
    }

    /** The dbus source started ({@code context}) or stopped (null). */
    public void attach(SourceContext context) {
        UpstartApi old;
        synchronized (this) {
            this.context = context;
            old = api;
            api = context == null || apiBus == null ? null
                    : new UpstartApi(apiBus, context.settings().runtimeDir().resolve(org.upshot.control.Protocol.SOCKET_NAME));
            if (old != null) {
                old.close();
            }
            if (context == null) {
                return;
            }
        }
        wantBuses();
    }

    /** The jobs now loaded: which names are activated on which bus, which buses are needed. */
    public void jobsChanged(Collection<JobView> jobs) {
        synchronized (this) {
            for (Bus bus : buses.values()) {
                bus.activated = new TreeMap<>();
                bus.readinessOnly = new HashSet<>();
                bus.activateOn = false;
                bus.signalRules = new HashSet<>();
            }
            for (JobView job : jobs) {
                for (List<String> words : job.stanzas().getOrDefault(DbusStanzas.DBUS, List.of())) {
                    if (words.size() == 2) {
                        BusKind.of(words.get(0)).ifPresent(kind -> buses.get(kind).activated
                                .putIfAbsent(words.get(1), job.name()));
                    }
                }
                for (List<String> words : job.stanzas().getOrDefault(DbusStanzas.EXPECT, List.of())) {
                    BusKind kind = words.size() == 2 ? BusKind.of(words.get(0)).orElse(defaultBus()) : defaultBus();
                    buses.get(kind).readinessOnly.add(job.name());
                }
                for (var condition : List.of(job.startOn(), job.stopOn())) {
                    if (condition.isEmpty()) {
                        continue;
                    }
                    for (EventExpression.Match match : condition.get().matches()) {
                        if (match.event().equals(SignalEvents.EVENT)) {
                            buses.get(SignalEvents.bus(match).orElse(defaultBus())).signalRules
                                    .add(SignalEvents.rule(match));
                        }
                        if (match.event().equals(DbusStanzas.ACTIVATE_EVENT)) {
                            busOf(match).ifPresentOrElse(kind -> buses.get(kind).activateOn = true,
                                    () -> buses.values().forEach(bus -> bus.activateOn = true));
                        }
                    }
                }
            }
        }
        UpstartApi served;
        synchronized (this) {
            served = api;
        }
        if (served != null) {
            served.jobsChanged(jobs);
        }
        wantBuses();
    }

    /** An instance passed a milestone: a run that ends forgets its name; a failure is kept for its message. */
    public void instanceChanged(InstanceChange change) {
        synchronized (this) {
            if (change.phase() == InstanceChange.Phase.STOPPING || change.phase() == InstanceChange.Phase.STOPPED) {
                Watch watch = watches.remove(change.instance());
                if (watch != null) {
                    watch.ready().completeExceptionally(new IllegalStateException("stopped"));
                }
            }
            change.failure().ifPresent(failure -> lastFailure.put(change.instance().job(), describe(failure)));
            if (change.phase() == InstanceChange.Phase.STARTING) {
                lastFailure.remove(change.instance().job());
            }
        }
        UpstartApi served;
        synchronized (this) {
            served = api;
        }
        if (served != null) {
            served.instanceChanged(change);
        }
        if (change.phase() == InstanceChange.Phase.STARTED) {
            for (BusKind kind : BusKind.values()) {
                if (busJob(kind).filter(change.instance().job()::equals).isPresent()) {
                    // the bus job is up: connect now, not at the next backoff step
                    Bus bus = buses.get(kind);
                    synchronized (this) {
                        bus.retryMillis = FIRST_RETRY_MILLIS;
                    }
                    retry(bus);
                }
            }
        }
    }

    /** The bus a {@code dbus-activate BUS=...} match names; empty for any (no BUS, or a glob). */
    private static Optional<BusKind> busOf(EventExpression.Match match) {
        for (EventExpression.Argument argument : match.arguments()) {
            if ("BUS".equals(argument.key()) && !argument.negated()) {
                return BusKind.of(argument.pattern());
            }
        }
        return Optional.empty();
    }

    private static String describe(InstanceChange.Failure failure) {
        if (failure.exitSignal().isPresent()) {
            return failure.process() + " process killed by signal " + failure.exitSignal().get();
        }
        if (failure.exitStatus().isPresent()) {
            return failure.process() + " process exited with status " + failure.exitStatus().getAsInt();
        }
        return failure.process() + " failed";
    }

    /** {@code expect dbus}: completes once {@code name} is owned on {@code bus} by the instance. */
    public CompletionStage<Integer> awaitName(BusKind kind, String name, ReadinessTarget target) {
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                ready.completeExceptionally(new IllegalStateException("the dbus source is stopped"));
                return ready;
            }
            Watch old = watches.put(target.instance(), new Watch(kind, name, target, ready));
            if (old != null) {
                old.ready().cancel(false);
            }
        }
        submit(() -> {
            Bus bus = buses.get(kind);
            ensureConnected(bus);
            checkOwner(bus, name);
        });
        return ready;
    }

    /** The engine stopped waiting for {@code target}. */
    public synchronized void abandon(ReadinessTarget target) {
        Watch watch = watches.get(target.instance());
        if (watch != null && watch.target().equals(target)) {
            watches.remove(target.instance());
        }
    }

    private void submit(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.WARNING, "dbus: " + e, e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private void wantBuses() {
        for (Bus bus : buses.values()) {
            submit(() -> ensureConnected(bus));
        }
    }

    // ---- on the upshot-dbus thread ----

    private void ensureConnected(Bus bus) {
        String address;
        boolean claim;
        synchronized (this) {
            if (closed || !bus.wanted()) {
                return;
            }
            if (bus.connection != null) {
                claim = bus.activates() && !bus.ownsSystemd && context != null;
                address = null;
            } else {
                if (bus.connecting) {
                    return;
                }
                if (bus.address == null) {
                    problem(bus, "no address for the " + bus.kind.shortName() + " bus: set " + bus.kind.variable()
                            + " or -D" + bus.kind.property());
                    return;
                }
                bus.connecting = true;
                address = bus.address;
                claim = false;
            }
        }
        if (address == null) {
            subscribe(bus);
            if (claim) {
                claimSystemd(bus);
            }
            return;
        }
        DBusConnection connection;
        try {
            connection = DBusConnectionBuilder.forAddress(address).withShared(false)
                    .transportConfig().withServiceLoaderClassLoader(BusTable.class.getClassLoader())
                    .withTimeout(CONNECT_TIMEOUT_MILLIS).back()
                    .withDisconnectCallback(new Lost(bus))
                    .build();
            connection.addGenericSigHandler(DBusMatchRuleBuilder.create().withType("signal").withSender(DBUS_NAME)
                    .withInterface(DBUS_NAME).withMember("NameOwnerChanged").build(),
                    signal -> submit(() -> nameOwnerChanged(bus, signal)));
            // before the name is claimed: a request queued for it is delivered at claim time
            connection.addGenericSigHandler(DBusMatchRuleBuilder.create().withType("signal")
                    .withInterface(ACTIVATOR).withMember("ActivationRequest").build(),
                    signal -> submit(() -> activationRequest(bus, signal)));
        } catch (Exception | Error e) {
            synchronized (this) {
                bus.connecting = false;
            }
            problem(bus, "cannot connect to " + bus.label() + ": " + e.getMessage());
            retry(bus);
            return;
        }
        DBus driver;
        try {
            driver = connection.getRemoteObject(DBUS_NAME, DBUS_PATH, DBus.class);
        } catch (Exception e) {
            connection.disconnect();
            synchronized (this) {
                bus.connecting = false;
            }
            problem(bus, "cannot talk to " + bus.label() + ": " + e.getMessage());
            retry(bus);
            return;
        }
        List<String> names;
        synchronized (this) {
            bus.connecting = false;
            if (closed) {
                connection.disconnect();
                return;
            }
            bus.connection = connection;
            bus.driver = driver;
            bus.retryMillis = FIRST_RETRY_MILLIS;
            if (bus.lastProblem != null) {
                LOG.log(Level.INFO, "dbus: connected to " + bus.label());
            } else {
                LOG.log(Level.DEBUG, "dbus: connected to " + bus.label());
            }
            bus.lastProblem = null;
            claim = bus.activates() && context != null;
            names = watches.values().stream().filter(watch -> watch.bus() == bus.kind).map(Watch::name).distinct()
                    .toList();
        }
        describeAll();
        subscribe(bus);
        UpstartApi served;
        synchronized (this) {
            served = apiBus == bus.kind ? api : null;
        }
        if (served != null) {
            served.export(connection, driver);
        }
        if (claim) {
            claimSystemd(bus);
        }
        for (String name : names) {
            checkOwner(bus, name);
        }
    }

    /** Brings the connection's signal subscriptions in line with the jobs' conditions. */
    private void subscribe(Bus bus) {
        DBusConnection connection;
        Set<DBusMatchRule> wanted;
        Map<DBusMatchRule, AutoCloseable> current;
        synchronized (this) {
            connection = bus.connection;
            wanted = new HashSet<>(bus.signalRules);
            current = bus.subscribed;
        }
        if (connection == null) {
            return;
        }
        for (Iterator<Map.Entry<DBusMatchRule, AutoCloseable>> it = current.entrySet().iterator(); it.hasNext();) {
            Map.Entry<DBusMatchRule, AutoCloseable> entry = it.next();
            if (!wanted.contains(entry.getKey())) {
                try {
                    entry.getValue().close();
                } catch (Exception e) {
                    // the connection is going anyway
                }
                it.remove();
            }
        }
        for (DBusMatchRule rule : wanted) {
            if (current.containsKey(rule)) {
                continue;
            }
            try {
                current.put(rule, connection.addGenericSigHandler(rule, signal -> signal(bus, signal)));
                LOG.log(Level.DEBUG, "dbus: subscribed to " + rule + " on the " + bus.kind.shortName() + " bus");
            } catch (Exception | Error e) {
                LOG.log(Level.WARNING, "dbus: the " + bus.kind.shortName() + " bus refused the match rule " + rule
                        + ": " + e.getMessage());
            }
        }
    }

    /** A signal some job's condition asked for: the event {@code dbus}, once however many rules it matched. */
    private void signal(Bus bus, DBusSignal signal) {
        SourceContext ctx;
        synchronized (this) {
            ctx = context;
            for (DBusSignal seen : bus.recent) {
                if (seen == signal || seen.getSerial() == signal.getSerial()
                        && Objects.equals(seen.getSource(), signal.getSource())) {
                    return;
                }
            }
            bus.recent.addLast(signal);
            if (bus.recent.size() > 16) {
                bus.recent.removeFirst();
            }
        }
        if (ctx == null) {
            return;
        }
        SignalEvents.event(signal, bus.kind).ifPresent(event -> {
            try {
                ctx.emitter().emit(event);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "dbus: event not emitted: " + e.getMessage());
            }
        });
    }

    private void claimSystemd(Bus bus) {
        DBus driver;
        synchronized (this) {
            driver = bus.driver;
            if (driver == null || bus.ownsSystemd) {
                return;
            }
        }
        try {
            UInt32 reply = driver.RequestName(SYSTEMD, new UInt32(DBus.DBUS_NAME_FLAG_DO_NOT_QUEUE));
            int code = reply.intValue();
            if (code == DBus.DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER || code == DBus.DBUS_REQUEST_NAME_REPLY_ALREADY_OWNER) {
                synchronized (this) {
                    bus.ownsSystemd = true;
                }
                LOG.log(Level.DEBUG, "dbus: own " + SYSTEMD + " on " + bus.label());
            } else {
                problem(bus, SYSTEMD + " is owned by another connection on " + bus.label()
                        + ": activation requests go there");
                retry(bus);
            }
        } catch (RuntimeException e) {
            problem(bus, "cannot own " + SYSTEMD + " on " + bus.label() + ": " + e.getMessage());
            retry(bus);
        }
    }

    private void retry(Bus bus) {
        long delay;
        synchronized (this) {
            if (closed) {
                return;
            }
            delay = bus.retryMillis;
            bus.retryMillis = Math.min(MAX_RETRY_MILLIS, bus.retryMillis * 2);
        }
        try {
            executor.schedule(() -> {
                try {
                    ensureConnected(bus);
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.WARNING, "dbus: " + e, e);
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    /** Logs {@code message} once until it changes, and shows it under the jobs that need the bus. */
    private void problem(Bus bus, String message) {
        synchronized (this) {
            if (message.equals(bus.lastProblem)) {
                return;
            }
            bus.lastProblem = message;
        }
        LOG.log(Level.WARNING, "dbus: " + message + "; retrying");
        describeAll();
    }

    private void describeAll() {
        SourceContext shown;
        Map<String, List<String>> lines = new HashMap<>();
        synchronized (this) {
            shown = context;
            if (shown == null) {
                return;
            }
            for (Bus bus : buses.values()) {
                List<String> note = bus.connection == null && bus.lastProblem != null
                        ? List.of("waiting for the " + bus.kind.shortName() + " bus: " + bus.lastProblem) : List.of();
                for (String job : bus.activated.values()) {
                    lines.merge(job, note, BusTable::concat);
                }
                for (String job : bus.readinessOnly) {
                    lines.merge(job, note, BusTable::concat);
                }
            }
        }
        lines.forEach(shown::describe);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The connection to {@code bus} closed under us: forget it, and connect again. */
    private final class Lost implements IDisconnectCallback {
        private final Bus bus;

        Lost(Bus bus) {
            this.bus = bus;
        }

        @Override
        public void disconnectOnError(IOException e) {
            lost("lost " + bus.label() + ": " + e.getMessage());
        }

        @Override
        public void exceptionOnTerminate(IOException e) {
            lost("lost " + bus.label() + ": " + e.getMessage());
        }

        private void lost(String why) {
            DBusConnection old;
            synchronized (BusTable.this) {
                old = bus.connection;
                bus.connection = null;
                bus.driver = null;
                bus.ownsSystemd = false;
                bus.subscribed = new HashMap<>();
            }
            if (old != null) {
                // not on upshot-dbus: dbus-java may take its time, and reconnecting must not wait
                Thread closer = new Thread(old::disconnect, "upshot-dbus-close");
                closer.setDaemon(true);
                closer.start();
            }
            problem(bus, why);
            retry(bus);
        }
    }

    private void checkOwner(Bus bus, String name) {
        DBus driver;
        synchronized (this) {
            driver = bus.driver;
        }
        if (driver == null) {
            return;
        }
        String owner;
        try {
            if (!driver.NameHasOwner(name)) {
                return;
            }
            owner = driver.GetNameOwner(name);
        } catch (RuntimeException e) {
            return;
        }
        owned(bus, name, owner);
    }

    private void nameOwnerChanged(Bus bus, DBusSignal signal) {
        Object[] args;
        try {
            args = signal.getParameters();
        } catch (Exception e) {
            return;
        }
        if (args == null || args.length != 3 || !(args[0] instanceof String name)
                || !(args[2] instanceof String newOwner)) {
            return;
        }
        if (newOwner.isEmpty()) {
            released(bus, name);
        } else {
            owned(bus, name, newOwner);
        }
    }

    /** {@code name} has an owner: the instances waiting for it whose process it is are ready. */
    private void owned(Bus bus, String name, String owner) {
        List<Watch> waiting;
        DBus driver;
        SourceContext ctx;
        synchronized (this) {
            waiting = watches.values().stream().filter(watch -> watch.bus() == bus.kind && watch.name().equals(name)
                    && !watch.ready().isDone()).toList();
            driver = bus.driver;
            ctx = context;
        }
        if (waiting.isEmpty()) {
            return;
        }
        Optional<InstanceRef> holder = Optional.empty();
        if (driver != null && ctx != null) {
            try {
                holder = ctx.ownerOf(driver.GetConnectionUnixProcessID(owner).intValue());
            } catch (RuntimeException e) {
                // no pid (another machine's peer, or it is gone): take the owner as it is
            }
        }
        for (Watch watch : waiting) {
            if (holder.isPresent() && !holder.get().equals(watch.target().instance())) {
                continue;
            }
            OptionalInt main = ctx == null ? OptionalInt.empty() : ctx.mainProcess(watch.target().instance());
            watch.ready().complete(main.orElse(watch.target().pid()));
        }
    }

    /** {@code name} lost its owner: an instance that held it is treated as gone. */
    private void released(Bus bus, String name) {
        List<Watch> gone = new ArrayList<>();
        SourceContext ctx;
        synchronized (this) {
            ctx = context;
            for (Iterator<Watch> it = watches.values().iterator(); it.hasNext();) {
                Watch watch = it.next();
                if (watch.bus() == bus.kind && watch.name().equals(name) && watch.ready().isDone()
                        && !watch.ready().isCompletedExceptionally()) {
                    gone.add(watch);
                    it.remove();
                }
            }
        }
        if (ctx == null) {
            return;
        }
        for (Watch watch : gone) {
            InstanceRef instance = watch.target().instance();
            OptionalInt main = ctx.mainProcess(instance);
            if (main.isPresent()) {
                LOG.log(Level.INFO, "dbus: " + instance + " gave up " + name + " on the " + bus.kind.shortName()
                        + " bus: treated as gone");
                ctx.abort(instance, main.getAsInt(), NAME_LOST);
            }
        }
    }

    // ---- activation ----

    private void activationRequest(Bus bus, DBusSignal signal) {
        String unit;
        try {
            Object[] args = signal.getParameters();
            if (args == null || args.length != 1 || !(args[0] instanceof String text)) {
                return;
            }
            unit = text;
        } catch (Exception e) {
            return;
        }
        String sender = signal.getSource();
        if (sender != null && !sender.equals(DBUS_NAME)) {
            LOG.log(Level.DEBUG, "dbus: ignored an activation request from " + sender);
            return;
        }
        SourceContext ctx;
        Optional<Target> target;
        synchronized (this) {
            ctx = context;
            target = resolve(bus, unit);
        }
        if (ctx == null) {
            fail(bus, unit, REFUSED, "Upshot's dbus source is not running");
            return;
        }
        if (target.isEmpty()) {
            LOG.log(Level.INFO, "dbus: activation of unknown unit " + unit + " on the " + bus.kind.shortName()
                    + " bus refused");
            fail(bus, unit, NO_SUCH_UNIT, "Unit " + unit + " not found.");
            return;
        }
        String name = target.get().name();
        String job = target.get().job().orElse(null);
        List<String> env = new ArrayList<>();
        if (job != null) {
            env.add("JOB=" + job);
        }
        env.addAll(List.of("NAME=" + name, "BUS=" + bus.kind.shortName(), "UNIT=" + unit));
        Event event = new Event(DbusStanzas.ACTIVATE_EVENT, env);
        String what = job == null ? "the jobs waiting for " + name : "job " + job;
        LOG.log(Level.DEBUG, "dbus: activating " + what + " for " + name);
        CompletionStage<EventResult> result;
        try {
            result = ctx.emitter().emit(event);
        } catch (RuntimeException e) {
            fail(bus, unit, REFUSED, "Upshot refused to start " + what + ": " + e.getMessage());
            return;
        }
        result.whenComplete((outcome, error) -> {
            if (error != null) {
                submit(() -> fail(bus, unit, REFUSED, "Upshot refused to start " + what + ": "
                        + error.getMessage()));
            } else if (outcome == EventResult.FAILED) {
                submit(() -> {
                    String why;
                    synchronized (this) {
                        why = job == null ? null : lastFailure.get(job);
                    }
                    fail(bus, unit, START_FAILED, what + " failed to start" + (why == null ? "" : ": " + why));
                });
            }
        });
    }

    /** What an activation request starts: the bus name, and the job whose dbus stanza claims it if one does. */
    private record Target(String name, Optional<String> job) {}

    /**
     * What a unit names: {@code JOB.service} for a job with a dbus stanza on this bus;
     * {@code dbus-NAME.service}, or the {@code Name=} of an activation file whose
     * {@code SystemdService=} is the unit, with the job whose dbus stanza claims the name,
     * or with none if only {@code start on dbus-activate} conditions may want it.
     */
    private Optional<Target> resolve(Bus bus, String unit) {
        String base = unit.endsWith(".service") ? unit.substring(0, unit.length() - ".service".length()) : unit;
        for (Map.Entry<String, String> entry : bus.activated.entrySet()) {
            if (entry.getValue().equals(base)) {
                return Optional.of(new Target(entry.getKey(), Optional.of(entry.getValue())));
            }
        }
        List<String> names = new ArrayList<>();
        if (base.startsWith("dbus-") && BusNames.problem(base.substring(5)).isEmpty()) {
            names.add(base.substring(5));
        }
        names.addAll(ServiceFiles.namesFor(serviceDirs, unit));
        for (String name : names) {
            String job = bus.activated.get(name);
            if (job != null) {
                return Optional.of(new Target(name, Optional.of(job)));
            }
        }
        if (bus.activateOn && !names.isEmpty()) {
            return Optional.of(new Target(names.get(0), Optional.empty()));
        }
        return Optional.empty();
    }

    /** Fails every pending activation of {@code unit} at once: systemd's ActivationFailure. */
    private void fail(Bus bus, String unit, String error, String message) {
        DBusConnection connection;
        synchronized (this) {
            connection = bus.connection;
        }
        if (connection == null) {
            return;
        }
        try {
            connection.sendMessage(new DirectedSignal(connection.getMessageFactory().getEndianess(), DBUS_NAME,
                    "/org/freedesktop/systemd1", ACTIVATOR, "ActivationFailure", "sss", unit, error, message));
            LOG.log(Level.INFO, "dbus: activation of " + unit + " failed: " + message);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "dbus: cannot answer the activation of " + unit + ": " + e.getMessage());
        }
    }

    /** For tests: whether {@code bus} is connected and, if it has activated names, owns systemd1. */
    public synchronized boolean isReady(BusKind kind) {
        Bus bus = buses.get(kind);
        return bus.connection != null && (!bus.activates() || bus.ownsSystemd);
    }
}
