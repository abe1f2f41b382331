package org.upshot.source.socket.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.upshot.event.Event;
import org.upshot.event.EventDescriptor;
import org.upshot.event.EventExpression;
import org.upshot.event.Glob;

/** The {@code socket} event in its forms, the stanza's condition on it, and the status lines. */
public final class SocketEvents {

    /** The event's name, Upstart's. */
    public static final String NAME = SocketSpec.KEYWORD;
    /** The variable naming a stanza's listener ({@code tcp:127.0.0.1:8080}), which its condition matches. */
    public static final String LISTEN = "LISTEN";
    /** The variable numbering accepted connections. */
    private static final String CONNECTION = "CONNECTION";
    private static final Pattern VARIABLE = Pattern.compile("\\$([A-Z_]+)");

    private SocketEvents() {}

    /** {@code socket LISTEN=ID}: what a {@code socket} stanza or-s into its job's {@code start on}. */
    public static EventExpression condition(SocketAddress address) {
        return new EventExpression.Match(NAME, List.of(EventExpression.Argument.equal(LISTEN, literal(address.id()))));
    }

    /** A glob that matches exactly {@code text} ({@code tcp6:[::1]:80} holds brackets), {@code $} escaped too. */
    static String literal(String text) {
        return Glob.escape(text).replace("$", "\\$");
    }

    /** A listener became readable: {@code socket PROTO=… PORT=… ADDR=…} (or {@code SOCKET_PATH=…}), a stanza's with {@code LISTEN=}. */
    static Event listening(Listener listener) {
        return new Event(NAME, environment(listener, Map.of()));
    }

    /** An accepted connection: the listener's variables, {@code CONNECTION=N} and the peer's. */
    static Event connection(Listener listener, String number, Map<String, String> peer) {
        List<String> env = environment(listener, peer);
        env.add(CONNECTION + "=" + number);
        return new Event(NAME, env);
    }

    private static List<String> environment(Listener listener, Map<String, String> peer) {
        List<String> env = new ArrayList<>();
        listener.address.eventEnvironment().forEach((key, value) -> env.add(key + "=" + value));
        if (!listener.upstartForm) {
            env.add(LISTEN + "=" + listener.address.id());
        }
        peer.forEach((key, value) -> env.add(key + "=" + value));
        return env;
    }

    /** The instance template of an accepting stanza, one instance per connection. */
    public static String instanceTemplate(SocketAddress address) {
        return address.kind() == SocketAddress.Kind.UNIX ? "$CONNECTION-$REMOTE_PID"
                : "$CONNECTION-$REMOTE_ADDR:$REMOTE_PORT";
    }

    /**
     * {@link #instanceTemplate} expanded for one connection, as the engine will expand it
     * from the event: the source tracks each connection by its instance's name.
     */
    static String instanceName(SocketAddress address, String number, Map<String, String> peer) {
        Matcher variable = VARIABLE.matcher(instanceTemplate(address));
        StringBuilder name = new StringBuilder();
        while (variable.find()) {
            String key = variable.group(1);
            variable.appendReplacement(name, Matcher.quoteReplacement(key.equals(CONNECTION) ? number
                    : peer.getOrDefault(key, "")));
        }
        return variable.appendTail(name).toString();
    }

    /** A descriptor the event carries and closes once it has finished with it. */
    static EventDescriptor closing(int fd, String name, boolean standardIo) {
        return new EventDescriptor() {
            @Override
            public int descriptor() {
                return fd;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean standardIo() {
                return standardIo;
            }

            @Override
            public void release() {
                NativeSockets.close(fd);
            }
        };
    }

    /** {@code more than 20 starts in 2 s}. */
    static String limitHit(Listener listener) {
        SocketSpec.TriggerLimit limit = listener.spec.effectiveTriggerLimit();
        return "more than " + limit.burst() + " starts in " + limit.seconds() + " s";
    }

    /** What {@code initctl status JOB} shows for one listener. */
    static Optional<String> statusLine(Listener listener, String job) {
        if (listener.failure != null) {
            return Optional.of("not listening on " + listener.address.display() + ": " + listener.failure);
        }
        if (!listener.open()) {
            return Optional.empty();
        }
        StringBuilder line = new StringBuilder("listening ").append(listener.address.display());
        if (listener.accept()) {
            line.append(" accept: ").append(listener.openConnections()).append(" open, ")
                    .append(listener.served).append(" served, ").append(listener.refused).append(" refused");
        }
        if (listener.limited) {
            line.append(", paused for ").append(ListenerTable.TRIGGER_PAUSE_NANOS / 1_000_000_000L).append(" s: ")
                    .append(limitHit(listener));
            if (!listener.accept()) {
                line.append("; 'initctl start ").append(job).append("' resumes it now");
            }
        }
        return Optional.of(line.toString());
    }
}
