package org.upshot.engine.internal.match;

import java.util.List;
import java.util.Optional;
import org.upshot.engine.internal.match.ExpansionException.Kind;

/**
 * Environment tables ({@code KEY=VALUE} lists) and Upstart's {@code $VAR} expansion.
 *
 * <p>A table is a plain {@code List<String>} so that it can travel in events, process
 * spawns and job views without conversion. Lookup takes the first entry with the key;
 * {@link #set} keeps keys unique by replacing in place, so a table built with it has
 * one entry per key and keeps first-insertion order (Upstart's {@code environ_add}).
 *
 * <p>Expansion understands {@code $VAR}, {@code ${VAR}}, {@code ${VAR-default}},
 * {@code ${VAR:-default}}, {@code ${VAR+alternative}} and {@code ${VAR:+alternative}}
 * (the colon forms treat an empty value as unset). The name inside braces is itself
 * expanded first ({@code ${$WHICH:-x}}), and so are default and alternative texts,
 * whether or not they end up used, as Upstart does, so an unknown variable there is an
 * error even when unused. A {@code $} not followed by a name or a brace stays as it
 * is, and {@code ${}} gives a lone {@code $}. Nothing else (no backslashes, no quotes)
 * is special. All methods are static and thread-safe on tables no one else mutates.
 */
public final class Environ {

    private Environ() {
    }

    /** The key of a {@code KEY=VALUE} entry, or the whole entry when it has no {@code =}. */
    public static String keyOf(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq);
    }

    /** The value of the first entry named {@code key}, if any. Entries without {@code =} have no value. */
    public static Optional<String> lookup(List<String> table, String key) {
        return Optional.ofNullable(valueOf(table, key, 0, key.length()));
    }

    /**
     * Sets {@code entry} ({@code KEY=VALUE}) in a mutable table: replaces the first entry
     * with the same key in place, or appends.
     *
     * @throws IllegalArgumentException if the entry has no {@code =} or an empty key
     */
    public static void set(List<String> table, String entry) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("environment entry must be KEY=VALUE: '" + entry + "'");
        }
        int index = indexOf(table, entry, eq);
        if (index < 0) {
            table.add(entry);
        } else {
            table.set(index, entry);
        }
    }

    /** {@link #set} for each entry in order, so later entries win. */
    public static void setAll(List<String> table, List<String> entries) {
        for (String entry : entries) {
            set(table, entry);
        }
    }

    /** Removes every entry named {@code key}; tells whether there was one. */
    public static boolean unset(List<String> table, String key) {
        return table.removeIf(entry -> keyLength(entry) == key.length() && entry.startsWith(key));
    }

    /**
     * Expands the {@code $} references in {@code text} against {@code env}.
     *
     * @param env the variables; may be empty, in which case any plain {@code $VAR} fails
     * @throws ExpansionException for an unknown variable, a bad operator or a missing brace
     */
    public static String expand(String text, List<String> env) throws ExpansionException {
        if (text.indexOf('$') < 0) {
            return text;
        }
        Expander expander = new Expander(text, env);
        return expander.expandUntil("");
    }

    /** The value of the first entry whose key is {@code key[from, to)}, or null. */
    static String valueOf(List<String> table, CharSequence key, int from, int to) {
        int length = to - from;
        for (int i = 0, n = table.size(); i < n; i++) {
            String entry = table.get(i);
            if (keyLength(entry) == length && regionEquals(entry, key, from, length)) {
                return entry.substring(length + 1);
            }
        }
        return null;
    }

    private static int indexOf(List<String> table, String entry, int keyLength) {
        for (int i = 0, n = table.size(); i < n; i++) {
            String candidate = table.get(i);
            if (keyLength(candidate) == keyLength && candidate.regionMatches(0, entry, 0, keyLength)) {
                return i;
            }
        }
        return -1;
    }

    /** Length of the key, or -1 for an entry without {@code =} (it never matches a key). */
    private static int keyLength(String entry) {
        return entry.indexOf('=');
    }

    private static boolean regionEquals(String entry, CharSequence key, int from, int length) {
        for (int i = 0; i < length; i++) {
            if (entry.charAt(i) != key.charAt(from + i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** One pass over one text; {@code pos} moves forward only, so expansion is linear. */
    private static final class Expander {
        private final String text;
        private final List<String> env;
        private int pos;

        Expander(String text, List<String> env) {
            this.text = text;
            this.env = env;
        }

        /** Expands from {@code pos} up to (not past) the first character in {@code stops}. */
        String expandUntil(String stops) throws ExpansionException {
            StringBuilder out = new StringBuilder(text.length());
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (stops.indexOf(c) >= 0) {
                    break;
                }
                pos++;
                if (c != '$') {
                    out.append(c);
                } else if (pos < text.length() && text.charAt(pos) == '{') {
                    pos++;
                    out.append(braced());
                } else {
                    out.append(plain());
                }
            }
            return out.toString();
        }

        private String plain() throws ExpansionException {
            int start = pos;
            while (pos < text.length() && isNameChar(text.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                return "$";
            }
            return known(text.substring(start, pos));
        }

        private String braced() throws ExpansionException {
            String name = expandUntil("}:-+");
            char operator = next();
            if (operator == '}') {
                return name.isEmpty() ? "$" : known(name);
            }
            boolean emptyIsUnset = operator == ':';
            if (emptyIsUnset) {
                operator = next();
                if (operator != '-' && operator != '+') {
                    throw new ExpansionException(Kind.BAD_OPERATOR, text, "");
                }
            }
            String argument = expandUntil("}");
            next();
            String value = Environ.valueOf(env, name, 0, name.length());
            boolean present = value != null && !(emptyIsUnset && value.isEmpty());
            if (operator == '-') {
                return present ? value : argument;
            }
            return present ? argument : "";
        }

        private char next() throws ExpansionException {
            if (pos >= text.length()) {
                throw new ExpansionException(Kind.MISSING_BRACE, text, "");
            }
            return text.charAt(pos++);
        }

        private String known(String name) throws ExpansionException {
            String value = Environ.valueOf(env, name, 0, name.length());
            if (value == null) {
                throw new ExpansionException(Kind.UNKNOWN_VARIABLE, text, name);
            }
            return value;
        }
    }
}
