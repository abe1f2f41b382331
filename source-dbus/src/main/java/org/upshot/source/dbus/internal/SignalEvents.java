package org.upshot.source.dbus.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.matchrules.DBusMatchRule;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.upshot.event.Event;
import org.upshot.event.EventExpression;

/**
 * Bus signals as upstart-dbus-bridge made them events, and the match rules a job's
 * {@code start on dbus ...} / {@code stop on dbus ...} condition asks the bus for.
 *
 * <p>The event is {@code dbus SIGNAL= INTERFACE= OBJPATH= SENDER= [DESTINATION=] ARG0=
 * ARG1= ... BUS=}: one {@code ARGn} per argument of a simple type (strings, object paths,
 * signatures, numbers; booleans as {@code TRUE}/{@code FALSE}); an argument of another
 * type (array, dict, struct, variant) gets no variable but keeps its index, as the
 * bridge did. {@code BUS=system|session} comes last, so that the bridge's positional
 * order is kept. Upstart's own signals ({@code com.ubuntu.Upstart0_6*}) are no events.
 */
public final class SignalEvents {

    /** The event's name. */
    public static final String EVENT = "dbus";
    /** What a source declares it emits. */
    public static final String DECLARATION = "dbus SIGNAL INTERFACE OBJPATH SENDER DESTINATION ARG0 ARG1 ARG2 ARG3 "
            + "ARG4 ARG5 ARG6 ARG7 ARG8 ARG9 BUS";
    private static final int MAX_MATCH_ARG = 63;

    private SignalEvents() {}

    /**
     * The match rule for one {@code dbus} condition: {@code type='signal'} narrowed by each
     * key given as a plain value ({@code SIGNAL} → member, {@code INTERFACE},
     * {@code OBJPATH} → path, {@code SENDER}, {@code ARGn} → argN); a glob, a negation or a
     * positional argument narrows nothing here (the engine matches it on the event).
     */
    public static DBusMatchRule rule(EventExpression.Match match) {
        DBusMatchRuleBuilder rule = DBusMatchRuleBuilder.create().withType("signal");
        for (EventExpression.Argument argument : match.arguments()) {
            String key = argument.key();
            String value = argument.pattern();
            if (key == null || argument.negated() || isGlob(value)) {
                continue;
            }
            try {
                switch (key) {
                    case "SIGNAL" -> rule.withMember(value);
                    case "INTERFACE" -> rule.withInterface(value);
                    case "OBJPATH" -> rule.withPath(value);
                    case "SENDER" -> rule.withSender(value);
                    default -> {
                        if (key.matches("ARG\\d{1,2}") && Integer.parseInt(key.substring(3)) <= MAX_MATCH_ARG) {
                            rule.withArg0123(Integer.parseInt(key.substring(3)), value);
                        }
                    }
                }
            } catch (RuntimeException e) {
                // a value the builder refuses narrows nothing
            }
        }
        return rule.build();
    }

    /** The bus a {@code dbus} condition names with {@code BUS=}, if a plain one. */
    public static Optional<BusKind> bus(EventExpression.Match match) {
        for (EventExpression.Argument argument : match.arguments()) {
            if ("BUS".equals(argument.key()) && !argument.negated() && !isGlob(argument.pattern())) {
                return BusKind.of(argument.pattern());
            }
        }
        return Optional.empty();
    }

    private static boolean isGlob(String value) {
        return value.indexOf('*') >= 0 || value.indexOf('?') >= 0 || value.indexOf('[') >= 0
                || value.indexOf('$') >= 0;
    }

    /** The event for {@code signal} heard on {@code bus}; empty for Upstart's own or a malformed one. */
    public static Optional<Event> event(DBusSignal signal, BusKind bus) {
        try {
            String iface = signal.getInterface();
            String member = signal.getName();
            if (member == null || iface == null || iface.startsWith("com.ubuntu.Upstart0_6")) {
                return Optional.empty();
            }
            List<String> env = new ArrayList<>();
            env.add("SIGNAL=" + member);
            env.add("INTERFACE=" + iface);
            env.add("OBJPATH=" + nonNull(signal.getPath()));
            env.add("SENDER=" + nonNull(signal.getSource()));
            if (signal.getDestination() != null && !signal.getDestination().isEmpty()) {
                env.add("DESTINATION=" + signal.getDestination());
            }
            Object[] args = signal.getParameters();
            if (args != null) {
                for (int i = 0; i < args.length; i++) {
                    Optional<String> value = text(args[i]);
                    if (value.isPresent()) {
                        env.add("ARG" + i + "=" + value.get());
                    }
                }
            }
            env.add("BUS=" + bus.shortName());
            return Optional.of(new Event(EVENT, env));
        } catch (Exception | LinkageError e) {
            return Optional.empty();
        }
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }

    /** A simple-typed argument as text; empty for the other types. */
    static Optional<String> text(Object arg) {
        if (arg instanceof Boolean b) {
            return Optional.of(b ? "TRUE" : "FALSE");
        }
        if (arg instanceof String || arg instanceof Number || arg instanceof Character) {
            return Optional.of(arg.toString());
        }
        if (arg instanceof UInt16 || arg instanceof UInt32 || arg instanceof UInt64) {
            return Optional.of(arg.toString());
        }
        if (arg instanceof DBusPath path) {
            return Optional.of(path.getPath());
        }
        return Optional.empty();
    }
}
