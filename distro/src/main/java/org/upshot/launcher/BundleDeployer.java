package org.upshot.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Installs, updates, starts, stops and uninstalls bundles by jar file, keyed by the
 * jar's {@code file:} URI as bundle location. A failure is logged with the bundle's
 * name and cause and leaves that bundle stopped; it never propagates, so one bad jar
 * cannot stop the others or the daemon. Thread-safe.
 */
final class BundleDeployer {
    private static final System.Logger LOG = System.getLogger("org.upshot.launcher");

    /** What a jar looked like when it was last deployed (or rejected): a change means redeploy. */
    private record FileStamp(long size, long modifiedMillis, Object fileKey) {
        static FileStamp of(Path jar) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
            return new FileStamp(attributes.size(), attributes.lastModifiedTime().toMillis(), attributes.fileKey());
        }
    }

    private final BundleContext context;
    private final Map<String, FileStamp> deployed = new ConcurrentHashMap<>();

    BundleDeployer(BundleContext context) {
        this.context = context;
    }

    /**
     * Installs every {@code *.jar} of every directory, then starts them directory by
     * directory, so that they resolve against each other and every bundle (a plugin's
     * declarations included) is known before the first one starts.
     *
     * @return per directory, the bundles that are active afterwards
     */
    List<List<Bundle>> deployDirectories(List<Path> directories) {
        List<List<Bundle>> installed = new ArrayList<>();
        for (Path directory : directories) {
            List<Bundle> bundles = new ArrayList<>();
            for (Path jar : jarsIn(directory)) {
                Bundle bundle = installOrUpdate(jar, false);
                if (bundle != null) {
                    bundles.add(bundle);
                }
            }
            installed.add(bundles);
        }
        List<List<Bundle>> active = new ArrayList<>();
        for (List<Bundle> bundles : installed) {
            List<Bundle> started = new ArrayList<>();
            for (Bundle bundle : bundles) {
                if (start(bundle)) {
                    started.add(bundle);
                }
            }
            active.add(started);
        }
        return active;
    }

    /**
     * Brings the framework in line with one jar: installs and starts it if new, updates
     * it if changed, uninstalls its bundle if the file is gone.
     */
    void sync(Path jar) {
        if (Files.isRegularFile(jar)) {
            Bundle bundle = installOrUpdate(jar, true);
            if (bundle != null) {
                start(bundle);
            }
        } else {
            undeploy(jar);
        }
    }

    /** Brings the framework in line with every jar in {@code directory}, new, changed or removed. */
    void syncDirectory(Path directory) {
        List<Path> present = jarsIn(directory);
        for (Path jar : present) {
            sync(jar);
        }
        String prefix = directory.toUri().toString();
        for (String location : List.copyOf(deployed.keySet())) {
            Path jar = Path.of(java.net.URI.create(location));
            if (location.startsWith(prefix) && !present.contains(jar)) {
                undeploy(jar);
            }
        }
    }

    /** Stops and uninstalls the bundle installed from {@code jar}, if any. */
    void undeploy(Path jar) {
        String location = location(jar);
        deployed.remove(location);
        Bundle bundle = context.getBundle(location);
        if (bundle == null) {
            return;
        }
        String name = Bundles.describe(bundle);
        try {
            bundle.uninstall();
            LOG.log(Level.INFO, "plugin {0} removed: stopped and uninstalled", name);
        } catch (BundleException | IllegalStateException e) {
            LOG.log(Level.ERROR, "cannot uninstall " + name, e);
        }
        refresh();
    }

    /** True when the jar at {@code jar} is installed as a bundle. */
    boolean isDeployed(Path jar) {
        return context.getBundle(location(jar)) != null;
    }

    private Bundle installOrUpdate(Path jar, boolean announce) {
        String location = location(jar);
        FileStamp stamp;
        try {
            stamp = FileStamp.of(jar);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot read " + jar, e);
            return null;
        }
        if (stamp.equals(deployed.get(location))) {
            return null;
        }
        deployed.put(location, stamp);
        Bundle existing = context.getBundle(location);
        try (InputStream in = Files.newInputStream(jar)) {
            if (existing == null) {
                Bundle bundle = context.installBundle(location, in);
                LOG.log(announce ? Level.INFO : Level.DEBUG, "installed {0} from {1}", Bundles.describe(bundle), jar);
                return bundle;
            }
            existing.update(in);
            LOG.log(Level.INFO, "updated {0} from {1}", Bundles.describe(existing), jar);
            refresh();
            return existing;
        } catch (BundleException | IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "cannot " + (existing == null ? "install " : "update ") + jar, e);
            return null;
        }
    }

    /** Starts a bundle; on failure logs its name and the cause and leaves it stopped. */
    private boolean start(Bundle bundle) {
        if (Bundles.isFragment(bundle)) {
            return false;
        }
        try {
            bundle.start();
            LOG.log(Level.DEBUG, "started {0}", Bundles.describe(bundle));
            return bundle.getState() == Bundle.ACTIVE;
        } catch (BundleException | RuntimeException e) {
            LOG.log(Level.ERROR, "bundle " + Bundles.describe(bundle) + " failed to start, left stopped", e);
            return false;
        }
    }

    /** Lets uninstalled or updated bundles' old wirings go (asynchronous, as OSGi defines it). */
    private void refresh() {
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null);
    }

    private static String location(Path jar) {
        return jar.toAbsolutePath().normalize().toUri().toString();
    }

    /** The jars of a directory in name order; hidden files are in-progress copies and skipped. */
    static List<Path> jarsIn(Path directory) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.jar")) {
            for (Path entry : entries) {
                if (isCandidate(entry) && Files.isRegularFile(entry)) {
                    jars.add(entry.toAbsolutePath().normalize());
                }
            }
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot list " + directory, e);
        }
        jars.sort(null);
        return jars;
    }

    /** A plugin jar name: ends in {@code .jar} and is not hidden (a copy in progress). */
    static boolean isCandidate(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".jar") && !name.startsWith(".");
    }
}
