package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.upshot.daemon.DaemonSettings;

class FrameworkPropertiesTest {

    @Test
    void systemBundleExportsJnrAndSunMiscButNotFelixItself() {
        Set<String> packages = FrameworkProperties.classPathPackages().keySet();
        assertTrue(packages.containsAll(List.of("jnr.posix", "jnr.ffi", "jnr.constants.platform", "jnr.unixsocket",
                "jnr.enxio.channels", "com.kenai.jffi", "sun.misc")), packages.toString());
        assertFalse(packages.contains("org.apache.felix.framework"), "Felix's own packages are not re-exported");
        assertFalse(packages.contains("org.osgi.framework"), "the framework API is exported by Felix already");
        assertFalse(packages.contains("org.upshot.daemon"), "the kernel's packages come from its bundle");
    }

    @Test
    void slf4jIsExportedAtTheVersionItsJarDeclaresSoQuartzCanImportIt() {
        // Quartz imports org.slf4j in [2,3): a version-less export would leave it unwired.
        Map<String, String> packages = FrameworkProperties.classPathPackages();
        String version = packages.get("org.slf4j");
        assertTrue(version != null && version.startsWith("2."), "org.slf4j exported as " + version);
        assertEquals(version, packages.get("org.slf4j.spi"));
        assertEquals("", packages.get("sun.misc"), "a package no jar versions has no version");
    }

    @Test
    void daemonSettingsBecomeUpshotFrameworkProperties() {
        DaemonSettings settings = DaemonSettings.builder(DaemonSettings.Mode.SESSION,
                new DaemonSettings.Facts(4242, 1000, Map.of(), Path.of("/home/ann")), Path.of("/opt/upshot"))
                .confDirs(List.of(Path.of("/a"), Path.of("/b"))).pluginDir(Path.of("/p")).runtimeDir(Path.of("/r"))
                .logDir(Path.of("/l")).debug(true).defaultConsole(DaemonSettings.DefaultConsole.NONE).build();
        Map<String, Object> config = FrameworkProperties.of(settings, "9.9.9");
        assertEquals("session", config.get("upshot.mode"));
        assertEquals("/a:/b", config.get("upshot.confdirs"));
        assertEquals("/r", config.get("upshot.runtime.dir"));
        assertEquals("/l", config.get("upshot.log.dir"));
        assertEquals("true", config.get("upshot.debug"));
        assertEquals("none", config.get("upshot.default.console"));
        assertEquals("/p", config.get("upshot.plugin.dir"));
        assertEquals("false", config.get("upshot.pid1"));
        assertEquals("/home/ann/.local/state/upshot", config.get("upshot.state.dir"));
        assertEquals("9.9.9", config.get("upshot.version"));
        assertEquals("/r/felix-cache", config.get(Constants.FRAMEWORK_STORAGE));
        assertEquals(Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT, config.get(Constants.FRAMEWORK_STORAGE_CLEAN));
    }
}
