package org.upshot.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.upshot.daemon.DaemonSettings.Facts;
import org.upshot.daemon.DaemonSettings.Mode;

class DaemonSettingsTest {

    private static final Facts USER = new Facts(4242, 1000, Map.of(), Path.of("/home/ann"));
    private static final Facts ROOT = new Facts(4242, 0, Map.of(), Path.of("/root"));

    @Test
    void sessionDefaultsFollowTheXdgDirectoriesElseTheHome() {
        // no XDG variables: ~/.config, /tmp/upshot-UID, ~/.cache, ~/.local/state.
        DaemonSettings settings = DaemonSettings.fromProperties(key -> null, USER);
        assertEquals(Mode.SESSION, settings.mode());
        assertEquals(List.of(Path.of("/home/ann/.config/upshot")), settings.confDirs());
        assertEquals(Path.of("/tmp/upshot-1000"), settings.runtimeDir());
        assertEquals(Path.of("/home/ann/.cache/upshot/log"), settings.logDir());
        assertEquals(Path.of("/home/ann/.local/state/upshot"), settings.stateDir());

        Facts xdg = new Facts(4242, 1000, Map.of("XDG_RUNTIME_DIR", "/run/user/1000",
                "XDG_CONFIG_HOME", "/cfg", "XDG_CACHE_HOME", "relative"), Path.of("/home/ann"));
        DaemonSettings withXdg = DaemonSettings.fromProperties(key -> null, xdg);
        assertEquals(Path.of("/run/user/1000/upshot"), withXdg.runtimeDir());
        assertEquals(List.of(Path.of("/cfg/upshot")), withXdg.confDirs());
        assertEquals(Path.of("/home/ann/.cache/upshot/log"), withXdg.logDir(), "a relative XDG value is ignored");
    }

    @Test
    void aMissingModeMeansSystemForRootAndPid1AndSessionOtherwise() {
        // one rule for every component that reads the settings.
        assertEquals(Mode.SYSTEM, DaemonSettings.fromProperties(key -> null, ROOT).mode());
        assertEquals(Mode.SYSTEM, DaemonSettings.fromProperties(key -> null,
                new Facts(1, 1000, Map.of(), Path.of("/"))).mode());
        assertEquals(Path.of("/run/upshot"), DaemonSettings.fromProperties(key -> null, ROOT).runtimeDir());
        assertEquals(Path.of("/var/log/upshot"), DaemonSettings.fromProperties(key -> null, ROOT).logDir());
    }

    @Test
    void propertiesRoundTrip() {
        // what the launcher writes, every component reads back unchanged.
        DaemonSettings settings = DaemonSettings.builder(Mode.SESSION, USER, Path.of("/opt/upshot"))
                .confDirs(List.of(Path.of("/a"), Path.of("/b"))).runtimeDir(Path.of("/r")).logDir(Path.of("/l"))
                .stateDir(Path.of("/s")).pluginDir(Path.of("/p")).defaultConsole(DaemonSettings.DefaultConsole.NONE)
                .debug(true).controlLimits(new DaemonSettings.ControlLimits(10, 2, 100, 5)).build();
        Map<String, String> properties = settings.toProperties();
        assertEquals("/a:/b", properties.get(DaemonSettings.CONFDIRS));
        assertEquals(settings, DaemonSettings.fromProperties(properties::get, USER));
    }

    @Test
    void aMalformedNumberIsAClearError() {
        // a typo in a limit names the property.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                DaemonSettings.fromProperties(key -> key.equals(DaemonSettings.MAX_CONNECTIONS) ? "lots" : null, USER));
        assertEquals("upshot.control.max.connections must be a number, not 'lots'", e.getMessage());
    }
}
