package org.upshot.engine.internal.parse;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stanza keywords that belong to a plugin, and which source owns each: used to tell
 * "this stanza needs a plugin that is not loaded" from "unknown stanza".
 *
 * <p>{@code expect} forms a plugin provides are looked up as two-word keywords
 * ({@code expect notify}, {@code expect listen}, {@code expect dbus}), so an extension
 * registers exactly those strings in {@link org.upshot.spi.stanza.StanzaExtension#KEYWORDS}.
 */
public final class PluginKeywords {

    private static final Map<String, String> OWNERS = Map.of(
            "socket", "socket",
            "dbus", "dbus",
            "watch", "files",
            "every", "timer",
            "cron", "timer",
            "on", "timer",
            "needs", "dependency",
            "expect notify", "socket",
            "expect listen", "socket",
            "expect dbus", "dbus");

    private PluginKeywords() {}

    /** The source that provides {@code keyword}, if a known plugin does. */
    public static Optional<String> owner(String keyword) {
        return Optional.ofNullable(OWNERS.get(keyword));
    }

    /** Every plugin keyword this table knows. */
    public static Set<String> keywords() {
        return OWNERS.keySet();
    }
}
