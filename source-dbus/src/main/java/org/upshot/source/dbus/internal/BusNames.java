package org.upshot.source.dbus.internal;

import java.util.Optional;

/** The D-Bus specification's rules for a well-known bus name. */
public final class BusNames {

    private static final int MAX = 255;

    private BusNames() {}

    /** Why {@code name} is no well-known bus name, or empty when it is one. */
    public static Optional<String> problem(String name) {
        if (name.isEmpty() || name.length() > MAX) {
            return Optional.of("a bus name has 1 to 255 characters");
        }
        if (name.startsWith(":")) {
            return Optional.of("'" + name + "' is a unique connection name, not a well-known one");
        }
        String[] elements = name.split("\\.", -1);
        if (elements.length < 2) {
            return Optional.of("a bus name has at least two elements separated by dots: '" + name + "'");
        }
        for (String element : elements) {
            if (element.isEmpty()) {
                return Optional.of("empty element in bus name '" + name + "'");
            }
            if (Character.isDigit(element.charAt(0))) {
                return Optional.of("an element of a bus name may not start with a digit: '" + name + "'");
            }
            for (int i = 0; i < element.length(); i++) {
                char c = element.charAt(i);
                if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                    return Optional.of("'" + c + "' is not allowed in bus name '" + name + "'");
                }
            }
        }
        return Optional.empty();
    }
}
