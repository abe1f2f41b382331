package org.upshot.engine.internal.config;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.parse.Diagnostic;
import org.upshot.engine.internal.parse.JobParser;
import org.upshot.engine.internal.parse.ParseResult;
import org.upshot.engine.internal.parse.StanzaLookup;
import org.upshot.spi.stanza.StanzaExtension;

/**
 * The job registry as the confdirs define it, kept up to date scan after scan.
 *
 * <p>The engine calls {@link #load()} once at start for the full registry, then either
 * drives updates itself ({@link #refresh()}, {@link #reload()},
 * {@link #extensionsChanged()}) or lets a {@link ConfigurationWatcher} do it on file
 * changes. Each update returns a {@link ChangeSet}: the difference from the previous
 * registry, to apply atomically.
 *
 * <p>Rules, Upstart's unless noted: a job is {@code CONFDIR/NAME.conf} (subdirectories
 * give {@code net/foo}; a job file may be a symbolic link, a directory link is not
 * followed); {@code NAME.override} beside it is applied on top; an override
 * that does not parse is ignored, one without a {@code .conf} too. With several
 * confdirs the earlier one wins a name, and the clash is reported as a warning. Unlike
 * Upstart, a file edited into something that does not parse keeps its previous
 * definition (the error is reported). A job using a plugin stanza whose extension is
 * not loaded is left out until {@link #extensionsChanged()} finds it. Jobs whose
 * {@code needs} form a cycle are left out too, with an error at each one's {@code needs}
 * stanza ({@link NeedsCycles}; an Upshot rule).
 *
 * <p>Thread-safe: every method is synchronized, so the watcher thread and the engine
 * may both call in. Parsing happens on the caller's thread.
 */
public final class ConfigurationLoader {

    private final List<Path> confdirs;
    private final StanzaLookup plugins;

    /** What the last scan knew about each job name. */
    private final Map<String, Entry> entries = new HashMap<>();
    /** Every job parsed, as last parsed. */
    private final Map<String, JobClass> registry = new HashMap<>();
    /** The registry as last handed out: {@link #registry} without the jobs on a {@code needs} cycle. */
    private Map<String, JobClass> loaded = Map.of();
    /** The jobs left out last time for a {@code needs} cycle. */
    private Set<String> cyclic = Set.of();
    /** Shadowed files already reported, so a clash is warned about once. */
    private final Set<Path> reportedClashes = new HashSet<>();
    /** Stamps of the files seen by the current scan. */
    private final Map<Path, List<Object>> stamps = new HashMap<>();
    /** Directories seen by the last scan, for the watcher to register. */
    private Set<Path> directories = Set.of();

    /**
     * @param confdirs the configuration directories, earlier wins; missing ones are
     *     skipped (and picked up once they exist)
     * @param plugins finds the extension for a plugin stanza keyword, or the plugin that
     *     declares it; see {@link JobParser#JobParser(StanzaLookup)}
     */
    public ConfigurationLoader(List<Path> confdirs, StanzaLookup plugins) {
        this.confdirs = List.copyOf(confdirs);
        this.plugins = Objects.requireNonNull(plugins, "plugins");
    }

    /** The confdirs, earlier first. */
    public List<Path> confdirs() {
        return confdirs;
    }

    /** Re-parses every file and returns the whole registry with every problem found. */
    public synchronized Configuration load() {
        ChangeSet changes = scan(Mode.FORCED);
        return new Configuration(loaded, changes.diagnostics(), waiting());
    }

    /** The registry as it stands, without scanning. Diagnostics are empty. */
    public synchronized Configuration current() {
        return new Configuration(loaded, List.of(), waiting());
    }

    /** Re-parses the files that changed since the last scan (size, time or inode differ). */
    public synchronized ChangeSet refresh() {
        return scan(Mode.CHANGED);
    }

    /** {@code reload-configuration} and SIGHUP: re-parses every file and reports every problem again. */
    public synchronized ChangeSet reload() {
        return scan(Mode.FORCED);
    }

    /**
     * An extension came or went: re-parses the jobs for which some keyword they used
     * would now find a different extension (or one where there was none, or none where
     * there was one), and any file that changed meanwhile. Jobs that are not affected
     * keep their definition, so binding an unrelated plugin changes nothing.
     */
    public synchronized ChangeSet extensionsChanged() {
        return scan(Mode.EXTENSIONS);
    }

    /**
     * The errors of every job file as it stands now, by file: what {@code check-config}
     * asks the daemon (a file that failed keeps its error until it changes).
     */
    public synchronized List<Diagnostic> problems() {
        List<Diagnostic> all = new ArrayList<>();
        entries.values().forEach(entry -> all.addAll(entry.errors));
        all.sort(Comparator.comparing((Diagnostic d) -> d.file().toString()).thenComparingInt(Diagnostic::line)
                .thenComparingInt(Diagnostic::column));
        return all;
    }

    /** The directories (confdirs and their subdirectories) the last scan walked. */
    public synchronized Set<Path> directories() {
        return directories;
    }

    private enum Mode { CHANGED, FORCED, EXTENSIONS }

    /** One job name's files and what they gave last time. */
    private static final class Entry {
        Path conf;
        Optional<Path> override = Optional.empty();
        List<Object> stamp = List.of();
        Set<String> missing = Set.of();
        /** The errors of the last parse: kept while the file stays as it is. */
        List<Diagnostic> errors = List.of();
        /** Every plugin keyword the last parse looked up, with what it found. */
        Map<String, Found> lookedUp = Map.of();

        /** True when some keyword would now find a different extension or declaring plugin. */
        boolean pluginsDiffer(StanzaLookup plugins) {
            return lookedUp.entrySet().stream().anyMatch(e -> !Found.of(plugins, e.getKey()).equals(e.getValue()));
        }
    }

    /** What one lookup found: the extension (identity matters) and the declaring plugin. */
    private record Found(StanzaExtension extension, Optional<String> declaredBy) {
        static Found of(StanzaLookup plugins, String keyword) {
            return new Found(plugins.extension(keyword).orElse(null), plugins.declaredBy(keyword));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Found that && extension == that.extension && declaredBy.equals(that.declaredBy);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(extension) * 31 + declaredBy.hashCode();
        }
    }

    /** The winning files for one job name. */
    private record JobFileSet(Path conf, Optional<Path> override) {}

    private ChangeSet scan(Mode mode) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Map<String, JobFileSet> found = walk(diagnostics);
        Map<String, JobClass> before = loaded;
        Set<String> parsedNow = new HashSet<>();

        entries.keySet().removeIf(name -> !found.containsKey(name));
        registry.keySet().removeIf(name -> !found.containsKey(name));
        for (Map.Entry<String, JobFileSet> job : found.entrySet()) {
            String name = job.getKey();
            JobFileSet files = job.getValue();
            Entry entry = entries.computeIfAbsent(name, n -> new Entry());
            List<Object> stamp = List.of(stamps.get(files.conf()),
                    files.override().map(stamps::get).orElse(List.of()));
            boolean moved = !files.conf().equals(entry.conf) || !files.override().equals(entry.override);
            boolean stale = moved || !stamp.equals(entry.stamp);
            boolean forced = mode == Mode.FORCED
                    || (mode == Mode.EXTENSIONS && entry.pluginsDiffer(plugins));
            if (!stale && !forced) {
                continue;
            }
            entry.conf = files.conf();
            entry.override = files.override();
            entry.stamp = stamp;
            Map<String, Found> lookedUp = new HashMap<>();
            JobParser parser = new JobParser(new StanzaLookup() {
                @Override
                public Optional<StanzaExtension> extension(String keyword) {
                    Found found = Found.of(plugins, keyword);
                    lookedUp.put(keyword, found);
                    return Optional.ofNullable(found.extension());
                }

                @Override
                public Optional<String> declaredBy(String keyword) {
                    return plugins.declaredBy(keyword);
                }
            });
            ParseResult result = JobFiles.load(parser, name, files.conf(), files.override());
            parsedNow.add(name);
            entry.lookedUp = lookedUp;
            diagnostics.addAll(result.diagnostics());
            entry.missing = result.missingExtensions();
            entry.errors = result.diagnostics().stream().filter(Diagnostic::isError).toList();
            if (result.loaded()) {
                JobClass parsed = result.job().get();
                registry.put(name, parsed);
            } else if (result.waitingForExtensions()) {
                registry.remove(name);
            }
            // Otherwise a parse error: the previous definition, if any, stays.
        }
        leaveOutCycles(parsedNow, diagnostics);
        return diff(before, diagnostics);
    }

    /**
     * Sets {@link #loaded}: the jobs on a {@code needs} cycle are not loaded. Each is
     * reported when its file was parsed now or it has just joined a cycle, so a cycle
     * is not reported again on every refresh.
     */
    private void leaveOutCycles(Set<String> parsedNow, List<Diagnostic> diagnostics) {
        Map<String, Diagnostic> cycles = NeedsCycles.find(registry);
        cycles.forEach((name, diagnostic) -> {
            if (parsedNow.contains(name) || !cyclic.contains(name)) {
                diagnostics.add(diagnostic);
            }
        });
        cyclic = Set.copyOf(cycles.keySet());
        Map<String, JobClass> out = new HashMap<>(registry);
        out.keySet().removeAll(cyclic);
        loaded = out;
    }

    private ChangeSet diff(Map<String, JobClass> before, List<Diagnostic> diagnostics) {
        Map<String, JobClass> updated = new LinkedHashMap<>();
        loaded.forEach((name, job) -> {
            if (!job.equals(before.get(name))) {
                updated.put(name, job);
            }
        });
        Set<String> removed = new LinkedHashSet<>(before.keySet());
        removed.removeAll(loaded.keySet());
        return new ChangeSet(updated, removed, diagnostics);
    }

    private Map<String, Set<String>> waiting() {
        Map<String, Set<String>> waiting = new HashMap<>();
        entries.forEach((name, entry) -> {
            if (!entry.missing.isEmpty() && !registry.containsKey(name)) {
                waiting.put(name, entry.missing);
            }
        });
        return waiting;
    }

    /** Finds every job name and its winning files, reporting names defined in several confdirs. */
    private Map<String, JobFileSet> walk(List<Diagnostic> diagnostics) {
        Map<String, JobFileSet> found = new TreeMap<>();
        stamps.clear();
        Set<Path> seenDirectories = new LinkedHashSet<>();
        Set<Path> clashes = new HashSet<>();
        for (Path configured : confdirs) {
            Path confdir = followLink(configured);
            Map<String, Path> confs = new TreeMap<>();
            Map<String, Path> overrides = new HashMap<>();
            Map<Path, List<Object>> files = list(confdir, seenDirectories);
            stamps.putAll(files);
            for (Path file : files.keySet()) {
                String fileName = file.getFileName().toString();
                if (fileName.endsWith(JobFiles.CONF)) {
                    confs.put(JobFiles.jobName(confdir, file), file);
                } else if (fileName.endsWith(JobFiles.OVERRIDE)) {
                    overrides.put(JobFiles.jobName(confdir, file), file);
                }
            }
            confs.forEach((name, conf) -> {
                JobFileSet earlier = found.get(name);
                if (earlier == null) {
                    found.put(name, new JobFileSet(conf, Optional.ofNullable(overrides.get(name))));
                    return;
                }
                clashes.add(conf);
                if (reportedClashes.add(conf)) {
                    diagnostics.add(Diagnostic.of(conf, 1, 1, Diagnostic.Kind.NAME_CLASH, name, earlier.conf()));
                }
            });
        }
        reportedClashes.retainAll(clashes);
        directories = Set.copyOf(seenDirectories);
        return found;
    }

    /**
     * Regular files under {@code confdir} (following no links) with their stamps,
     * collecting the directories walked. One walk gives both, so a file is stat-ed once.
     */
    private static Map<Path, List<Object>> list(Path confdir, Set<Path> directories) {
        Map<Path, List<Object>> files = new TreeMap<>();
        if (!Files.isDirectory(confdir)) {
            return files;
        }
        try {
            Files.walkFileTree(confdir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    directories.add(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        files.put(file, stamp(file, attributes));
                    } else if (attributes.isSymbolicLink()) {
                        // A job file may be a link (to a packaged file); a dangling one is still
                        // listed, so that reading it reports the problem.
                        files.put(file, linkTargetStamp(file));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // Removed mid-walk or unreadable: the read reports it, or the next scan sees the truth.
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // The confdir itself went away mid-walk: the next scan (triggered by that removal) sees the truth.
        }
        return files;
    }

    /** A confdir that is itself a link (say /etc/init to /lib/init) is walked at its target. */
    private static Path followLink(Path confdir) {
        try {
            return Files.isSymbolicLink(confdir) ? confdir.toRealPath() : confdir;
        } catch (IOException e) {
            return confdir; // dangling: walked as missing
        }
    }

    private static List<Object> linkTargetStamp(Path link) {
        try {
            BasicFileAttributes target = Files.readAttributes(link, BasicFileAttributes.class);
            return target.isRegularFile() ? stamp(link, target) : List.of("not a file");
        } catch (IOException e) {
            return List.of("unreadable", e.toString());
        }
    }

    /**
     * Size, modification time and inode: different when the file was rewritten; and
     * whether it can be read, so that a file that could not be is read once it can.
     */
    private static List<Object> stamp(Path file, BasicFileAttributes attributes) {
        return List.of(attributes.size(), attributes.lastModifiedTime(),
                Objects.requireNonNullElse(attributes.fileKey(), ""), Files.isReadable(file));
    }
}
