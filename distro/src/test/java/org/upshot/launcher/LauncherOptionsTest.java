package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.upshot.daemon.DaemonSettings;
import org.upshot.daemon.DaemonSettings.DefaultConsole;
import org.upshot.daemon.DaemonSettings.Facts;
import org.upshot.daemon.DaemonSettings.Mode;

class LauncherOptionsTest {
    private static final Path HOME = Path.of("/home/ann");
    private static final Path DISTRO = Path.of("/opt/upshot");

    private static LauncherOptions.Context context(long pid, int uid, Map<String, String> env, Path home) {
        return new LauncherOptions.Context(new Facts(pid, uid, env, home), DISTRO, key -> null);
    }

    private static LauncherOptions.Context user(Map<String, String> env) {
        return context(4242, 1000, env, HOME);
    }

    private static DaemonSettings run(LauncherOptions.Context context, String... args) throws UsageException {
        return assertInstanceOf(LauncherOptions.Run.class, LauncherOptions.parse(List.of(args), context)).settings();
    }

    @Test
    void ordinaryUserGetsSessionModeWithXdgDirectories() throws UsageException {
        DaemonSettings options = run(user(Map.of("XDG_RUNTIME_DIR", "/run/user/1000",
                "XDG_CONFIG_HOME", "/home/ann/cfg", "XDG_CACHE_HOME", "/home/ann/cache")));
        assertEquals(Mode.SESSION, options.mode());
        assertEquals(List.of(Path.of("/home/ann/cfg/upshot")), options.confDirs());
        assertEquals(Path.of("/run/user/1000/upshot"), options.runtimeDir());
        assertEquals(Path.of("/home/ann/cache/upshot/log"), options.logDir());
        assertEquals(DISTRO.resolve("plugins"), options.pluginDir());
        assertEquals(DefaultConsole.LOG, options.defaultConsole());
        assertFalse(options.pid1());
        assertFalse(options.debug());
    }

    @Test
    void sessionWithoutXdgVariablesFallsBackToHomeAndTmp() throws UsageException {
        DaemonSettings options = run(user(Map.of()));
        assertEquals(List.of(HOME.resolve(".config/upshot")), options.confDirs());
        assertEquals(Path.of("/tmp/upshot-1000"), options.runtimeDir());
        assertEquals(HOME.resolve(".cache/upshot/log"), options.logDir());
    }

    @Test
    void theChildOfBinUpshotsPid1IsToldItIsTheInit() throws UsageException {
        assertFalse(run(context(4242, 0, Map.of(), Path.of("/root"))).pid1());
        LauncherOptions.Context underPid1 = new LauncherOptions.Context(new Facts(4242, 0, Map.of(), Path.of("/root")),
                DISTRO, key -> key.equals(DaemonSettings.PID1) ? "true" : null);
        DaemonSettings options = run(underPid1);
        assertTrue(options.pid1());
        assertEquals(Mode.SYSTEM, options.mode());
    }

    @Test
    void rootGetsSystemModeWithSystemDirectories() throws UsageException {
        DaemonSettings options = run(context(4242, 0, Map.of(), Path.of("/root")));
        assertEquals(Mode.SYSTEM, options.mode());
        assertEquals(List.of(Path.of("/etc/init"), DISTRO.resolve("init")), options.confDirs());
        assertEquals(Path.of("/run/upshot"), options.runtimeDir());
        assertEquals(Path.of("/var/log/upshot"), options.logDir());
    }

    @Test
    void theBootJobsComeAfterTheConfiguredConfdirsInSystemModeUnlessLeftOut() throws UsageException {
        LauncherOptions.Context root = context(4242, 0, Map.of(), Path.of("/root"));
        assertEquals(List.of(Path.of("/a"), DISTRO.resolve("init")), run(root, "--confdir", "/a").confDirs());
        assertEquals(List.of(Path.of("/a")), run(root, "--confdir", "/a", "--no-default-jobs").confDirs());
        assertEquals(List.of(Path.of("/a")), run(root, "--session", "--confdir", "/a").confDirs());
    }

    @Test
    void pid1IsSystemModeEvenForAnOrdinaryUid() throws UsageException {
        DaemonSettings options = run(context(1, 1000, Map.of(), HOME));
        assertEquals(Mode.SYSTEM, options.mode());
        assertTrue(options.pid1());
    }

    @Test
    void rootMayAskForSessionMode() throws UsageException {
        DaemonSettings options = run(context(4242, 0, Map.of(), Path.of("/root")), "--session");
        assertEquals(Mode.SESSION, options.mode());
        assertEquals(Path.of("/tmp/upshot-0"), options.runtimeDir());
    }

    @Test
    void repeatedConfdirsKeepTheirOrderAndJoinWithThePathSeparator() throws UsageException {
        DaemonSettings options = run(user(Map.of()), "--confdir", "/a", "--confdir=/b", "--debug",
                "--plugin-dir", "/p", "--runtime-dir", "/r", "--log-dir", "/l", "--default-console", "none");
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), options.confDirs());
        assertEquals("/a:/b", options.toProperties().get(DaemonSettings.CONFDIRS));
        assertEquals(Path.of("/p"), options.pluginDir());
        assertEquals(Path.of("/r"), options.runtimeDir());
        assertEquals(Path.of("/l"), options.logDir());
        assertEquals(DefaultConsole.NONE, options.defaultConsole());
        assertTrue(options.debug());
    }

    @Test
    void relativeDirectoriesBecomeAbsolute() throws UsageException {
        DaemonSettings options = run(user(Map.of()), "--confdir", "examples");
        assertEquals(Path.of("examples").toAbsolutePath(), options.confDirs().get(0));
    }

    @Test
    void helpAndVersionAreCommandsOfTheirOwn() throws UsageException {
        assertInstanceOf(LauncherOptions.PrintHelp.class, LauncherOptions.parse(List.of("--debug", "--help"), user(Map.of())));
        assertInstanceOf(LauncherOptions.PrintVersion.class, LauncherOptions.parse(List.of("--version"), user(Map.of())));
    }

    @Test
    void badCommandLinesSayWhatIsWrong() {
        assertEquals("unknown option --frobnicate", refused("--frobnicate"));
        assertEquals("unexpected argument 'foo'", refused("foo"));
        assertEquals("option --confdir needs a value", refused("--confdir"));
        assertEquals("option --log-dir needs a non-empty value", refused("--log-dir="));
        assertEquals("--default-console must be log or none, not 'owner'", refused("--default-console", "owner"));
        assertEquals("--system and --session cannot be combined", refused("--system", "--session"));
    }

    @Test
    void settingsWithoutAFlagComeFromSystemProperties() throws UsageException {
        // -Dupshot.control.max.connections=... in UPSHOT_JAVA_OPTS; a bad value is a usage error.
        LauncherOptions.Context tuned = new LauncherOptions.Context(new Facts(4242, 1000, Map.of(), HOME), DISTRO,
                key -> key.equals(DaemonSettings.MAX_CONNECTIONS) ? "12" : null);
        assertEquals(12, run(tuned).controlLimits().maxConnections());
        LauncherOptions.Context bad = new LauncherOptions.Context(new Facts(4242, 1000, Map.of(), HOME), DISTRO,
                key -> key.equals(DaemonSettings.SOURCE_CALL_TIMEOUT_MILLIS) ? "soon" : null);
        assertEquals("upshot.source.call.timeout.millis must be a number, not 'soon'",
                assertThrows(UsageException.class, () -> LauncherOptions.parse(List.of(), bad)).getMessage());
    }

    private static String refused(String... args) {
        return assertThrows(UsageException.class, () -> LauncherOptions.parse(List.of(args), user(Map.of()))).getMessage();
    }
}
