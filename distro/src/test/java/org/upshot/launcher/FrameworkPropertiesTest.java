package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    void theFileTheBuildWritesGivesThePackagesTheJarsGive(@TempDir Path lib) throws IOException {
        Path file = writeBesideTheJars(lib);
        assertEquals(Optional.of(FrameworkProperties.classPathPackages()), FrameworkProperties.precomputed(file));
    }

    @Test
    void aJarChangedSinceTheFileWasWrittenMeansReadingTheJars(@TempDir Path lib) throws IOException {
        Path file = writeBesideTheJars(lib);
        Path jnrPosix = lib.resolve(jarNamed("jnr-posix"));
        Files.delete(jnrPosix);
        Files.writeString(jnrPosix, "another jar");
        assertEquals(Optional.empty(), FrameworkProperties.precomputed(file));
        Files.delete(jnrPosix);
        assertEquals(Optional.empty(), FrameworkProperties.precomputed(file), "a jar gone");
    }

    @Test
    void noFileOrAnotherFileMeansReadingTheJars(@TempDir Path lib) throws IOException {
        Path file = lib.resolve(FrameworkProperties.SYSTEM_PACKAGES_FILE);
        assertEquals(Optional.empty(), FrameworkProperties.precomputed(file));
        Files.writeString(file, "jnr.posix\n");
        assertEquals(Optional.empty(), FrameworkProperties.precomputed(file));
    }

    /** The file, written by the build's entry point into {@code lib}, with links there to the class path's jars. */
    private static Path writeBesideTheJars(Path lib) throws IOException {
        Path file = lib.resolve(FrameworkProperties.SYSTEM_PACKAGES_FILE);
        FrameworkProperties.main(new String[] {file.toString()});
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("jar ")) {
                String name = line.substring(line.lastIndexOf(' ') + 1);
                Files.createSymbolicLink(lib.resolve(name), classPathJar(name));
            }
        }
        return file;
    }

    private static String jarNamed(String prefix) {
        return classPath().map(Path::getFileName).map(Path::toString).filter(name -> name.startsWith(prefix))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " jar on the class path"));
    }

    private static Path classPathJar(String name) {
        return classPath().filter(jar -> jar.getFileName().toString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not on the class path"));
    }

    private static Stream<Path> classPath() {
        return FrameworkProperties.classPathJars().stream();
    }

    @Test
    void daemonSettingsBecomeUpshotFrameworkProperties() {
        DaemonSettings settings = DaemonSettings.builder(DaemonSettings.Mode.SESSION,
                new DaemonSettings.Facts(4242, 1000, Map.of(), Path.of("/home/ann")), Path.of("/opt/upshot"))
                .confDirs(List.of(Path.of("/a"), Path.of("/b"))).pluginDir(Path.of("/p")).runtimeDir(Path.of("/r"))
                .logDir(Path.of("/l")).debug(true).defaultConsole(DaemonSettings.DefaultConsole.NONE).build();
        Map<String, Object> config = FrameworkProperties.of(settings, "9.9.9", Path.of("/opt/upshot/lib"));
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
