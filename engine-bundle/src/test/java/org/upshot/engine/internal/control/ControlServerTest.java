package org.upshot.engine.internal.control;

import org.upshot.process.internal.HandedDescriptors;

import org.upshot.daemon.DaemonSettings.ControlLimits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.control.Protocol;
import org.upshot.event.Event;

/** The control server's transport over a real socket: framing, bad input, limits, streams. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ControlServerTest {

    @TempDir
    Path dir;

    private final FakeJobControl engine = new FakeJobControl();
    private ControlServer server;
    private Path socket;

    @BeforeEach
    void start() throws IOException {
        socket = dir.resolve("control.sock");
        server = new ControlServer(socket, false, engine, "0.1.0", dir.resolve("log"), false,
                new ControlLimits(4096, 8, 1 << 20, 10_000), new HandedDescriptors());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String status(Object id, String job) {
        return "{\"v\":1,\"id\":" + id + ",\"cmd\":\"status\",\"job\":\"" + job + "\"}\n";
    }

    private void assertServing() throws IOException {
        try (RawClient client = new RawClient(socket)) {
            client.send(status(99, "sobby"));
            Map<String, Object> reply = client.reply();
            assertEquals(Boolean.TRUE, reply.get("ok"), reply.toString());
            assertEquals(99L, reply.get("id"));
        }
    }

    @Test
    void statusRequestGetsTheJobAndItsId() throws IOException {
        try (RawClient client = new RawClient(socket)) {
            client.send(status("\"abc\"", "getty"));
            Map<String, Object> reply = client.reply();
            assertEquals("abc", reply.get("id"));
            assertEquals(1L, reply.get("v"));
            @SuppressWarnings("unchecked")
            Map<String, Object> job = (Map<String, Object>) reply.get("job");
            assertEquals("getty", job.get("name"));
            assertEquals("[{job=getty, instance=tty1, goal=start, state=running, processes=[{process=main, pid=4152}]}]",
                    job.get("instances").toString());
            assertEquals(List.of(), job.get("notes"), "present though no source shows anything");
        }
    }

    @Test
    void socketIsPrivateInSessionMode() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }

    @Test
    void unknownJobIsAnErrorReplyWithUpstartsWords() throws IOException {
        try (RawClient client = new RawClient(socket)) {
            client.send(status(1, "nosuch"));
            Map<String, Object> reply = client.reply();
            assertEquals(Boolean.FALSE, reply.get("ok"));
            assertEquals("UNKNOWN_JOB", reply.get("code"));
            assertEquals("Unknown job: nosuch", reply.get("message"));
        }
    }

    @Test
    void garbageGetsBadRequestAndTheConnectionGoesOn() throws IOException {
        try (RawClient client = new RawClient(socket)) {
            client.send("}{ not json at all\n");
            Map<String, Object> reply = client.reply();
            assertEquals("BAD_REQUEST", reply.get("code"));
            assertTrue(((String) reply.get("message")).startsWith("Malformed request"), reply.toString());
            client.send(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'});
            assertEquals("BAD_REQUEST", client.reply().get("code"));
            client.send("[1,2,3]\n{\"v\":1,\"id\":1}\n{\"v\":2,\"id\":2,\"cmd\":\"list\"}\n"
                    + "{\"v\":1,\"id\":3,\"cmd\":\"fly\"}\n{\"v\":1,\"id\":4,\"cmd\":\"start\",\"job\":7}\n"
                    + "{\"v\":1,\"id\":5,\"cmd\":\"start\",\"job\":\"foo\",\"env\":[\"NOEQUALS\"]}\n");
            assertEquals("BAD_REQUEST", client.reply().get("code"));
            assertEquals("UNKNOWN_COMMAND", client.reply().get("code"));
            assertEquals("UNSUPPORTED_VERSION", client.reply().get("code"));
            assertEquals("UNKNOWN_COMMAND", client.reply().get("code"));
            assertEquals("BAD_REQUEST", client.reply().get("code"));
            Map<String, Object> env = client.reply();
            assertEquals("BAD_ARGUMENT", env.get("code"));
            assertEquals("Env must be KEY=VALUE pairs", env.get("message"));
            client.send(status(6, "sobby"));
            assertEquals(Boolean.TRUE, client.reply().get("ok"));
        }
        assertEquals(0, engine.mutations.get(), "bad input reached the engine");
    }

    @Test
    void oversizeLineIsRefusedAndTheConnectionClosed() throws IOException {
        try (RawClient client = new RawClient(socket)) {
            byte[] huge = new byte[Protocol.MAX_LINE_BYTES + 10];
            Arrays.fill(huge, (byte) 'x');
            try {
                client.send(huge);
            } catch (IOException e) {
                // The server may close before taking every byte; the reply is still queued.
            }
            Map<String, Object> reply = client.reply();
            assertEquals("REQUEST_TOO_LARGE", reply.get("code"));
            assertTrue(client.closedByServer());
        }
        assertServing();
        assertEquals(0, engine.mutations.get());
    }

    @Test
    void halfSentRequestThenSilenceIsDroppedAfterTheIdleTimeout() throws IOException {
        server.close();
        server = new ControlServer(socket, false, engine, "0.1.0", dir, false,
                new ControlLimits(4096, 8, 1 << 20, 400), new HandedDescriptors());
        try (RawClient client = new RawClient(socket)) {
            client.send("{\"v\":1,\"id\":1,\"cmd\":\"sta");
            long started = System.nanoTime();
            assertServing();
            assertTrue(client.closedByServer());
            assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(300), "closed too early");
        }
        assertEquals(0, engine.mutations.get());
    }

    @Test
    void aRequestDrippedAByteAtATimeIsCutOffAtTheDeadline() throws Exception {
        server.close();
        server = new ControlServer(socket, false, engine, "0.1.0", dir, false,
                new ControlLimits(4096, 8, 1 << 20, 400), new HandedDescriptors());
        try (RawClient client = new RawClient(socket)) {
            long started = System.nanoTime();
            String request = status(1, "sobby");
            // a byte every 50 ms keeps bytes moving, but the whole line would take 2.5 s
            boolean cut = false;
            for (int i = 0; i < request.length() - 1 && !cut; i++) {
                try {
                    client.send(request.substring(i, i + 1));
                    Thread.sleep(50); // the client's pace, not a wait for the server
                } catch (IOException closed) {
                    cut = true;
                }
            }
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(cut && tookMillis >= 350 && tookMillis < 1500, "cut off after " + tookMillis + " ms");
        }
        assertServing();
    }

    @Test
    void repliesAreNeverDroppedForAClientThatReadsLate() throws Exception {
        // 20,000 replies of ~130 bytes (2.6 MB) against a 1 MiB outbound bound
        try (RawClient client = new RawClient(socket)) {
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < 20_000; i++) {
                requests.append(status(i, "sobby"));
            }
            Thread writer = sendInBackground(client, requests.toString());
            writer.join(1000); // the client reads only after a second: its replies pile up meanwhile
            for (int i = 0; i < 20_000; i++) {
                assertEquals((long) i, client.reply().get("id"));
            }
            writer.join();
        }
    }

    /** Sends {@code text} from a thread: the server stops reading while lines wait, so a writer blocks. */
    private static Thread sendInBackground(RawClient client, String text) {
        Thread writer = new Thread(() -> {
            try {
                client.send(text);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        return writer;
    }

    @Test
    void pipelinedRequestsAllGetReplies() throws IOException {
        try (RawClient client = new RawClient(socket)) {
            client.send(status(1, "sobby") + status(2, "nosuch") + status(3, "foo"));
            List<Object> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(client.reply().get("id"));
            }
            assertEquals(List.of(1L, 2L, 3L), ids);
        }
    }

    @Test
    void requestsOnOneConnectionRunInOrder() throws Exception {
        try (RawClient client = new RawClient(socket)) {
            client.send("{\"v\":1,\"id\":1,\"cmd\":\"start\",\"job\":\"held\"}\n" + status(2, "sobby"));
            Await.until("the start to reach the engine", () -> engine.mutations.get() == 1, Duration.ofSeconds(5));
            assertTrue(engine.statusCalls.isEmpty(), "status ran before start was answered");
            engine.held.complete(FakeJobControl.instance("held", "", org.upshot.job.JobGoal.START,
                    org.upshot.job.JobState.RUNNING, Map.of()));
            assertEquals(1L, client.reply().get("id"));
            assertEquals(2L, client.reply().get("id"));
        }
    }

    @Test
    void aFloodOfPipelinedRequestsIsAnsweredInOrder() throws Exception {
        try (RawClient client = new RawClient(socket)) {
            StringBuilder flood = new StringBuilder();
            for (int i = 0; i < 5000; i++) {
                flood.append(status(i, "sobby"));
            }
            Thread writer = sendInBackground(client, flood.toString());
            for (int i = 0; i < 5000; i++) {
                assertEquals((long) i, client.reply().get("id"));
            }
            writer.join();
        }
    }

    @Test
    void requestFollowedByShutdownOfTheWriteSideStillGetsItsReply() throws IOException {
        try (RawClient client = new RawClient(socket)) {
            client.send(status(1, "sobby"));
            client.channel.shutdownOutput();
            assertEquals(Boolean.TRUE, client.reply().get("ok"));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void clientThatLeavesMidReplyDoesNotHurtTheServer() throws IOException {
        engine.padding = 20_000; // a list reply of a few MiB
        for (int i = 0; i < 5; i++) {
            try (RawClient client = new RawClient(socket)) {
                client.send("{\"v\":1,\"id\":1,\"cmd\":\"list\"}\n");
                assertTrue(client.channel.read(java.nio.ByteBuffer.allocate(100)) > 0, "reply started");
            }
        }
        engine.padding = 0;
        assertServing();
    }

    @Test
    void aThousandClientsAtOnceAreAllServed() throws IOException {
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                clients.add(new RawClient(socket));
            }
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).send(status(i, "sobby"));
            }
            for (int i = 0; i < clients.size(); i++) {
                Map<String, Object> reply = clients.get(i).reply();
                assertEquals((long) i, reply.get("id"));
                assertEquals(Boolean.TRUE, reply.get("ok"));
            }
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
        assertServing();
    }

    @Test
    void connectionsOverTheLimitAreTurnedAwayBusy() throws IOException {
        server.close();
        server = new ControlServer(socket, false, engine, "0.1.0", dir, false,
                new ControlLimits(2, 8, 1 << 20, 5000), new HandedDescriptors());
        try (RawClient first = new RawClient(socket); RawClient second = new RawClient(socket)) {
            first.send(status(1, "sobby"));
            second.send(status(2, "sobby"));
            first.reply();
            second.reply();
            try (RawClient third = new RawClient(socket)) {
                assertEquals("BUSY", third.reply().get("code"));
                assertTrue(third.closedByServer());
            }
        }
    }

    @Test
    void eventsStreamEveryEventUntilTheClientLeaves() throws Exception {
        try (RawClient client = new RawClient(socket)) {
            client.send("{\"v\":1,\"id\":1,\"cmd\":\"events\"}\n");
            assertEquals(Boolean.TRUE, client.reply().get("ok"));
            Await.until("subscription", () -> engine.subscribers.size() == 1, Duration.ofSeconds(5));
            engine.publish(Event.of("interface-up", "IFACE=eth0"));
            engine.publish(Event.of("startup"));
            assertEquals("{\"v\":1,\"event\":{\"name\":\"interface-up\",\"env\":[\"IFACE=eth0\"]}}", client.readLine());
            assertEquals("{\"v\":1,\"event\":{\"name\":\"startup\",\"env\":[]}}", client.readLine());
        }
        Await.until("unsubscription", engine.subscribers::isEmpty, Duration.ofSeconds(5));
    }

    @Test
    void staleSocketFileIsReplacedButALiveDaemonIsNot() throws IOException {
        IOException live = assertThrows(IOException.class, () -> new ControlServer(socket, false, engine,
                "0.1.0", dir, false, ControlLimits.DEFAULT, new HandedDescriptors()));
        assertTrue(live.getMessage().contains("another daemon"), live.getMessage());
        server.close();
        Files.createFile(socket);
        server = new ControlServer(socket, false, engine, "0.1.0", dir, false, ControlLimits.DEFAULT, new HandedDescriptors());
        assertServing();
    }
}
