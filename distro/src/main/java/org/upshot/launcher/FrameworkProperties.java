package org.upshot.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.upshot.daemon.DaemonSettings;

/**
 * The configuration handed to Felix: bundle cache, the packages of the framework class
 * path that the system bundle exports, log routing, and the {@code upshot.*} settings
 * bundles read with {@code BundleContext.getProperty}.
 *
 * <p>Finding those packages means reading every jar's directory, 25–35 ms of a boot's
 * main thread. The build does it once ({@link #main}, from {@code assemble.sh}) into
 * {@code lib/system-packages}, with the size and time of each jar it read; a boot takes
 * the file while every jar still matches, and reads the jars otherwise.
 */
final class FrameworkProperties {
    /** The framework property with the launcher's version. */
    static final String VERSION = "upshot.version";

    /** The distribution's precomputed exports, beside the jars in {@code lib/}. */
    static final String SYSTEM_PACKAGES_FILE = "system-packages";
    private static final String FILE_HEADER = "# upshot system packages 1";

    private static final System.Logger LOG = System.getLogger("org.upshot.launcher");

    /** JDK-internal packages that jnr and Felix reach for, beyond the {@code java.*} ones. */
    private static final Set<String> JDK_EXTRA_PACKAGES = Set.of("sun.misc");

    private FrameworkProperties() {
    }

    /**
     * Felix's configuration for a daemon with these settings; {@code libDir} is where
     * {@link #SYSTEM_PACKAGES_FILE} may be.
     */
    static Map<String, Object> of(DaemonSettings settings, String version, Path libDir) {
        Map<String, Object> config = new HashMap<>(settings.toProperties());
        config.put(Constants.FRAMEWORK_STORAGE, settings.runtimeDir().resolve("felix-cache").toString());
        // Every boot starts from exactly the jars in bundle/ and the plugin directory.
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Map<String, String> packages = precomputed(libDir.resolve(SYSTEM_PACKAGES_FILE))
                .orElseGet(FrameworkProperties::classPathPackages);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, exports(packages));
        config.put("felix.log.logger", new FelixLogBridge());
        config.put("felix.log.level", settings.debug() ? "3" : "2");
        // SCR prints to stdout in its own format: keep it to warnings and errors.
        config.put("ds.loglevel", "warn");
        // Resolve on the calling thread: a dozen bundles gain nothing from a pool, whose
        // threads would idle for a minute after boot.
        config.put("felix.resolver.parallelism", "1");
        config.put(VERSION, version);
        return config;
    }

    /**
     * Every package of the jars on the class path except Felix's and the launcher's own
     * (jnr-posix, jnr-ffi, jffi, jnr-unixsocket, asm, slf4j...), plus
     * {@link #JDK_EXTRA_PACKAGES}, each with the version its jar's {@code Export-Package}
     * gives it ("" if none). OSGi and Felix packages are never re-exported: Felix exports the
     * framework API with its real versions, and the rest come from bundles.
     * jnr works in OSGi only from the class path: jffi and jnr-x86asm carry no OSGi headers.
     * slf4j must come with its version: Quartz imports {@code org.slf4j} in [2,3), and an
     * optional import left unwired fails only at the first log call.
     */
    static Map<String, String> classPathPackages() {
        Map<String, String> packages = new TreeMap<>();
        JDK_EXTRA_PACKAGES.forEach(name -> packages.put(name, ""));
        Path felixJar = jarOf(org.osgi.framework.Bundle.class);
        Path launcherJar = jarOf(FrameworkProperties.class);
        for (Path jar : classPathJars()) {
            if (!jar.equals(felixJar) && !jar.equals(launcherJar)) {
                addPackages(jar, packages);
            }
        }
        return packages;
    }

    /**
     * Writes {@link #SYSTEM_PACKAGES_FILE} for the jars on this JVM's class path:
     * {@code FrameworkProperties FILE}, run by the build with the distribution's launcher jar.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: FrameworkProperties FILE");
        }
        List<String> lines = new ArrayList<>();
        lines.add(FILE_HEADER);
        for (Path jar : classPathJars()) {
            lines.add("jar " + JarStamp.of(jar) + " " + jar.getFileName());
        }
        classPathPackages().forEach((name, version) -> lines.add("package " + name + " " + version));
        Files.write(Path.of(args[0]), lines);
    }

    /**
     * The packages {@code file} holds, if it is there and was written for these very jars
     * (each in the file's directory, with the same size and modification time).
     */
    static Optional<Map<String, String>> precomputed(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot read {0}: {1}; reading the jars", file, e.getMessage());
            return Optional.empty();
        }
        if (lines.isEmpty() || !lines.get(0).equals(FILE_HEADER)) {
            LOG.log(Level.DEBUG, "{0} is not a system-packages file; reading the jars", file);
            return Optional.empty();
        }
        Map<String, String> packages = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] words = line.split(" ", -1);
            if (words.length == 4 && words[0].equals("jar")) {
                Path jar = file.resolveSibling(words[3]);
                String now = JarStamp.describe(jar);
                if (!now.equals(words[1] + " " + words[2])) {
                    LOG.log(Level.DEBUG, "{0} changed since {1} was written; reading the jars", jar, file);
                    return Optional.empty();
                }
            } else if (words.length == 3 && words[0].equals("package")) {
                packages.put(words[1], words[2]);
            } else {
                LOG.log(Level.DEBUG, "{0}: unreadable line \"{1}\"; reading the jars", file, line);
                return Optional.empty();
            }
        }
        return Optional.of(packages);
    }

    /** A jar's size and modification time, as {@code SIZE MILLIS}. */
    private record JarStamp(long size, long modifiedMillis) {
        static JarStamp of(Path jar) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
            return new JarStamp(attributes.size(), attributes.lastModifiedTime().toMillis());
        }

        /** The stamp of {@code jar} as written, or "missing". */
        static String describe(Path jar) {
            try {
                return of(jar).toString();
            } catch (IOException e) {
                return "missing";
            }
        }

        @Override
        public String toString() {
            return size + " " + modifiedMillis;
        }
    }

    /** The {@code system.packages.extra} value: {@code name} or {@code name;version=V}, comma-separated. */
    private static String exports(Map<String, String> packages) {
        StringJoiner clauses = new StringJoiner(",");
        packages.forEach((name, version) -> clauses.add(version.isEmpty() ? name : name + ";version=" + version));
        return clauses.toString();
    }

    /** Jars on the class path, including those named by manifest {@code Class-Path} entries. */
    static Set<Path> classPathJars() {
        Set<Path> jars = new TreeSet<>();
        try {
            Enumeration<URL> manifests = ClassLoader.getSystemClassLoader().getResources(JarFile.MANIFEST_NAME);
            for (URL manifest : Collections.list(manifests)) {
                String url = manifest.toString();
                if (url.startsWith("jar:file:")) {
                    jars.add(Path.of(new java.net.URI(url.substring(4, url.indexOf("!/")))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the class path", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("class path entry is not a file URI", e);
        }
        return jars;
    }

    private static void addPackages(Path jar, Map<String, String> packages) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Map<String, String> declared = declaredVersions(file.getManifest());
            file.stream()
                    .map(entry -> entry.getName())
                    .filter(name -> name.endsWith(".class") && !name.startsWith("META-INF/"))
                    .filter(name -> name.lastIndexOf('/') > 0)
                    .map(name -> name.substring(0, name.lastIndexOf('/')).replace('/', '.'))
                    // the kernel's packages come from its bundle, never from the class path
                    .filter(name -> !name.startsWith("org.osgi.") && !name.startsWith("org.apache.felix.")
                            && !name.startsWith("org.upshot."))
                    .forEach(name -> packages.put(name, declared.getOrDefault(name, "")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    /**
     * Package versions a jar's {@code Export-Package} declares; of a package declared twice
     * (slf4j-api also exports {@code org.slf4j} as 1.7.36) the highest.
     */
    private static Map<String, String> declaredVersions(Manifest manifest) {
        Map<String, String> versions = new HashMap<>();
        String header = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
        if (header == null) {
            return versions;
        }
        // clauses are comma-separated, but quoted attribute values (uses:="a,b") hold commas too
        for (String clause : header.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            String[] parts = clause.split(";");
            for (String part : parts) {
                String attribute = part.strip();
                if (attribute.startsWith("version=")) {
                    String version = attribute.substring("version=".length()).replace("\"", "");
                    versions.merge(parts[0].strip(), version,
                            (a, b) -> Version.parseVersion(a).compareTo(Version.parseVersion(b)) >= 0 ? a : b);
                }
            }
        }
        return versions;
    }

    private static Path jarOf(Class<?> type) {
        java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
        try {
            return source == null ? Path.of("") : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            return Path.of("");
        }
    }
}
