package org.upshot.source.dbus.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The two message buses a job may name: {@code system-bus} and {@code session-bus}, and
 * where each is found. An address is taken from the daemon's property
 * {@code upshot.dbus.system.address} / {@code upshot.dbus.session.address} (framework or
 * {@code -D} property), else from the environment the daemon was started with
 * ({@code DBUS_SYSTEM_BUS_ADDRESS}, {@code DBUS_SESSION_BUS_ADDRESS}); the system bus
 * defaults to {@code unix:path=/run/dbus/system_bus_socket}, the session bus has no default.
 */
public enum BusKind {
    SYSTEM("system-bus", "system", "DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/run/dbus/system_bus_socket"),
    SESSION("session-bus", "session", "DBUS_SESSION_BUS_ADDRESS", null);

    private final String keyword;
    private final String shortName;
    private final String variable;
    private final String fallback;

    BusKind(String keyword, String shortName, String variable, String fallback) {
        this.keyword = keyword;
        this.shortName = shortName;
        this.variable = variable;
        this.fallback = fallback;
    }

    /** As written in a job file: {@code system-bus}. */
    public String keyword() {
        return keyword;
    }

    /** As in the activation event's {@code BUS=}: {@code system}. */
    public String shortName() {
        return shortName;
    }

    /** The environment variable that names its address, which jobs on this bus get. */
    public String variable() {
        return variable;
    }

    /** The property that overrides the address. */
    public String property() {
        return "upshot.dbus." + shortName + ".address";
    }

    /** The property naming the Upshot job that runs this bus's daemon. */
    public String jobProperty() {
        return "upshot.dbus." + shortName + ".job";
    }

    /** {@code system-bus} or {@code session-bus} (also {@code system}, {@code session}). */
    public static Optional<BusKind> of(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        for (BusKind kind : values()) {
            if (kind.keyword.equals(lower) || kind.shortName.equals(lower)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /**
     * This bus's address.
     *
     * @param properties the daemon's properties (null for none)
     * @param environment the daemon's environment
     */
    public Optional<String> address(Function<String, String> properties, Function<String, String> environment) {
        String configured = properties.apply(property());
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured.strip());
        }
        String inherited = environment.apply(variable);
        if (inherited != null && !inherited.isBlank()) {
            return Optional.of(inherited.strip());
        }
        return Optional.ofNullable(fallback);
    }
}
