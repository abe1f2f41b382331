package org.upshot.source.dbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.daemon.DaemonSettings;
import org.upshot.event.Event;
import org.upshot.event.EventEmitter;
import org.upshot.event.EventExpression;
import org.upshot.event.EventResult;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobView;
import org.upshot.source.dbus.PrivateBus;
import org.upshot.spi.stanza.ReadinessTarget;
import org.upshot.testkit.Await;
import org.upshot.testkit.TestSourceContext;

/**
 * The bus table against a real private {@code dbus-daemon --systemd-activation}, with the
 * engine played by the test: activation requests become events, failures are answered at
 * once, a name makes its instance ready and its loss ends it.
 */
class BusTableTest {

    @TempDir
    Path dir;
    private PrivateBus bus;
    private BusTable table;
    private TestSourceContext context;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    /** What each job's event answers; OK when absent. */
    private final Map<String, Function<Event, CompletionStage<EventResult>>> jobs = new ConcurrentHashMap<>();
    private final List<Process> processes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        bus = new PrivateBus(dir.resolve("bus")).start();
        table = new BusTable();
        table.configure(property -> property.equals(BusKind.SESSION.property()) ? bus.address()
                : property.equals(ServiceFiles.DIRS_PROPERTY) ? bus.services().toString() : null,
                variable -> null, DaemonSettings.Mode.SESSION);
        EventEmitter emitter = (event, descriptors, priority) -> {
            events.add(event);
            Function<Event, CompletionStage<EventResult>> answer = jobs.get(event.get("JOB").orElse(""));
            return answer == null ? CompletableFuture.completedFuture(EventResult.OK) : answer.apply(event);
        };
        context = TestSourceContext.of(emitter, dir);
        table.attach(context);
    }

    @AfterEach
    void stop() throws InterruptedException {
        table.close();
        for (Process process : processes) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        bus.close();
    }

    private static JobView job(String name, String keyword, List<String> arguments) {
        return new JobView(name, Path.of("/etc/init/" + name + ".conf"), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Map.of(keyword, List.of(arguments)), List.of());
    }

    private void awaitReady() {
        Await.until(Duration.ofSeconds(10), () -> table.isReady(BusKind.SESSION), () -> "never connected");
    }

    private Process echo(String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("dbus-test-tool", "echo", "--name=" + name);
        builder.environment().put("DBUS_SESSION_BUS_ADDRESS", bus.address());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    @Test
    void anActivatedJobAnswersTheCallThatStartedIt() throws Exception {
        jobs.put("echo", event -> {
            try {
                echo("org.upshot.test.Echo");
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.completedFuture(EventResult.OK);
        });
        table.jobsChanged(List.of(job("echo", "dbus", List.of("session-bus", "org.upshot.test.Echo"))));
        awaitReady();
        bus.activationFile("org.upshot.test.Echo", "echo.service");
        PrivateBus.Result result = bus.call("org.upshot.test.Echo", "/", "org.upshot.Test.Ping");
        assertEquals(0, result.status(), result.output());
        assertEquals(List.of("dbus-activate JOB=echo NAME=org.upshot.test.Echo BUS=session UNIT=echo.service"),
                events.stream().map(Event::toString).toList());
    }

    @Test
    void aJobThatFailsFailsTheCallerAtOnce() throws Exception {
        jobs.put("broken", event -> CompletableFuture.completedFuture(EventResult.FAILED));
        table.jobsChanged(List.of(job("broken", "dbus", List.of("session-bus", "org.upshot.test.Broken"))));
        awaitReady();
        bus.activationFile("org.upshot.test.Broken", "dbus-org.upshot.test.Broken.service");
        PrivateBus.Result result = bus.call("org.upshot.test.Broken", "/", "org.upshot.Test.Ping");
        assertNotEquals(0, result.status());
        assertTrue(result.output().contains("job broken failed to start"), result.output());
        assertTrue(result.took().toMillis() < 1000, "took " + result.took());
    }

    @Test
    void anUnknownUnitFailsTheCallerAtOnce() throws Exception {
        table.jobsChanged(List.of(job("echo", "dbus", List.of("session-bus", "org.upshot.test.Echo"))));
        awaitReady();
        bus.activationFile("org.upshot.test.Nobody", "nobody.service");
        PrivateBus.Result result = bus.call("org.upshot.test.Nobody", "/", "org.upshot.Test.Ping");
        assertNotEquals(0, result.status());
        assertTrue(result.output().contains("NoSuchUnit"), result.output());
        assertTrue(result.took().toMillis() < 1000, "took " + result.took());
    }

    @Test
    void aNameMakesItsInstanceReadyAndItsLossEndsIt() throws Exception {
        table.jobsChanged(List.of(job("late", "expect dbus", List.of("session-bus", "org.upshot.test.Late"))));
        awaitReady();
        InstanceRef instance = new InstanceRef("late", "");
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        processes.add(sleeper);
        ReadinessTarget target = new ReadinessTarget(instance, (int) sleeper.pid());
        CompletableFuture<Integer> ready = table.awaitName(BusKind.SESSION, "org.upshot.test.Late", target)
                .toCompletableFuture();
        Thread.sleep(300);
        assertFalse(ready.isDone());
        Process echo = echo("org.upshot.test.Late");
        context.own(sleeper.pid(), instance);
        context.own(echo.pid(), instance);
        assertEquals((int) Math.max(sleeper.pid(), echo.pid()), ready.get(10, TimeUnit.SECONDS));
        echo.destroy();
        Await.until(Duration.ofSeconds(10), () -> context.reports().stream().anyMatch(r -> r.startsWith("abort late")),
                () -> "no abort: " + context.reports());
        assertTrue(context.reports().get(0).endsWith(" dbus"), context.reports().toString());
    }

    @Test
    void aNameOwnedByAnotherInstanceDoesNotMakeThisOneReady() throws Exception {
        table.jobsChanged(List.of(job("mine", "expect dbus", List.of("org.upshot.test.Mine"))));
        awaitReady();
        Process echo = echo("org.upshot.test.Mine");
        context.own(echo.pid(), new InstanceRef("other", ""));
        Await.until(Duration.ofSeconds(10), () -> {
            try {
                return bus.hasOwner("org.upshot.test.Mine");
            } catch (Exception e) {
                return false;
            }
        }, () -> "echo never owned its name");
        CompletableFuture<Integer> ready = table.awaitName(BusKind.SESSION, "org.upshot.test.Mine",
                new ReadinessTarget(new InstanceRef("mine", ""), 1)).toCompletableFuture();
        Thread.sleep(500);
        assertFalse(ready.isDone());
    }

    @Test
    void aBusThatGoesAwayIsReconnectedAndSystemd1OwnedAgain() throws Exception {
        table.jobsChanged(List.of(job("echo", "dbus", List.of("session-bus", "org.upshot.test.Echo"))));
        awaitReady();
        bus.close();
        Await.until(Duration.ofSeconds(10), () -> !table.isReady(BusKind.SESSION), () -> "never saw the bus go");
        Await.until(Duration.ofSeconds(10), () -> context.description("echo").toString().contains("cannot connect"),
                () -> "no reason shown: " + context.description("echo"));
        bus = new PrivateBus(dir.resolve("bus")).start();
        Await.until(Duration.ofSeconds(10), () -> table.isReady(BusKind.SESSION), () -> "never reconnected");
        assertTrue(bus.hasOwner("org.freedesktop.systemd1"));
        Await.until(Duration.ofSeconds(10), () -> context.description("echo").isEmpty(),
                () -> "the reason stays: " + context.description("echo"));
    }

    @Test
    void aSignalAConditionAsksForIsTheEventDbusWithItsArguments() throws Exception {
        EventExpression condition = new EventExpression.Match("dbus", List.of(
                EventExpression.Argument.equal("SIGNAL", "Hello"),
                EventExpression.Argument.equal("INTERFACE", "org.upshot.Test")));
        table.jobsChanged(List.of(new JobView("hello", Path.of("/etc/init/hello.conf"), Optional.empty(),
                Optional.of(condition), Optional.empty(), List.of(), Map.of(), List.of())));
        awaitReady();
        Await.until(Duration.ofSeconds(5), () -> {
            try {
                // until the rule is subscribed, a signal goes unheard: send until one is
                bus.run(Duration.ofSeconds(10), "dbus-send", "--bus=" + bus.address(), "--type=signal", "/org/upshot/Obj",
                        "org.upshot.Test.Hello", "string:world", "int32:7", "boolean:true", "array:string:a,b",
                        "objpath:/x/y", "uint64:9");
                bus.run(Duration.ofSeconds(10), "dbus-send", "--bus=" + bus.address(), "--type=signal", "/org/upshot/Obj",
                        "org.upshot.Other.Hello", "string:not-asked-for");
                Thread.sleep(100);
            } catch (Exception e) {
                return false;
            }
            return events.stream().anyMatch(e -> e.name().equals("dbus"));
        }, () -> "no dbus event: " + events);
        Event event = events.stream().filter(e -> e.name().equals("dbus")).findFirst().orElseThrow();
        assertEquals(List.of("SIGNAL=Hello", "INTERFACE=org.upshot.Test", "OBJPATH=/org/upshot/Obj"),
                event.env().subList(0, 3));
        assertTrue(event.env().get(3).startsWith("SENDER=:"), event.toString());
        assertEquals(List.of("ARG0=world", "ARG1=7", "ARG2=TRUE", "ARG4=/x/y", "ARG5=9", "BUS=session"),
                event.env().subList(4, event.env().size()));
        assertTrue(events.stream().noneMatch(e -> e.toString().contains("not-asked-for")), events.toString());
    }

    /** Bus restarts leave no thread and no descriptor behind (the issue asks for 100; 30 keep the suite short). */
    @Test
    void busRestartsLeakNoThreadNorDescriptor() throws Exception {
        table.jobsChanged(List.of(job("echo", "dbus", List.of("session-bus", "org.upshot.test.Echo"))));
        awaitReady();
        int restarts = Integer.getInteger("upshot.dbus.test.restarts", 30);
        int threads = 0;
        long fds = 0;
        for (int i = 0; i < restarts; i++) {
            bus.close();
            Await.until(Duration.ofSeconds(10), () -> !table.isReady(BusKind.SESSION), () -> "never saw the bus go");
            bus = new PrivateBus(dir.resolve("bus")).start();
            Await.until(Duration.ofSeconds(10), () -> table.isReady(BusKind.SESSION), () -> "never reconnected");
            if (i == 4) {
                Thread.sleep(500);
                threads = Thread.activeCount();
                fds = openDescriptors();
            }
        }
        Thread.sleep(500);
        int threadsAfter = Thread.activeCount();
        long fdsAfter = openDescriptors();
        assertTrue(threadsAfter <= threads + 3, threads + " threads after 5 restarts, " + threadsAfter + " after "
                + restarts);
        assertTrue(fdsAfter <= fds + 5, fds + " descriptors after 5 restarts, " + fdsAfter + " after " + restarts);
    }

    private static long openDescriptors() throws IOException {
        try (var list = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return list.count();
        }
    }
}
