package org.upshot.source.dbus.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.upshot.daemon.DaemonSettings;

/**
 * dbus-daemon's activation files ({@code [D-BUS Service]}): reading which bus names a
 * {@code SystemdService=} unit stands for, and writing and checking the files that route
 * a job's {@code dbus} stanza to Upshot ({@code upshot dbus-services}).
 */
public final class ServiceFiles {

    /** The property naming the directories searched for activation files, colon-separated. */
    public static final String DIRS_PROPERTY = "upshot.dbus.servicedirs";
    private static final Pattern STANZA = Pattern.compile(
            "^\\s*dbus\\s+(system-bus|session-bus)\\s+(\\S+)\\s*(?:#.*)?$");

    private ServiceFiles() {}

    /** One {@code dbus} stanza in a job file. */
    public record Claim(String job, BusKind bus, String name, Path file) {

        /** The unit the activation file names: {@code JOB.service}, or {@code dbus-NAME.service} for {@code net/foo}. */
        public String unit() {
            return job.matches("[A-Za-z0-9:_.\\\\-]+") ? job + ".service" : "dbus-" + name + ".service";
        }

        /** The activation file's text. */
        public String text() {
            return "# Written by upshot dbus-services for job " + job + " (" + file + ")\n"
                    + "[D-BUS Service]\n"
                    + "Name=" + name + "\n"
                    + "Exec=/bin/false\n"
                    + (bus == BusKind.SYSTEM ? "User=root\n" : "")
                    + "SystemdService=" + unit() + "\n";
        }

        /** The activation file's name in its directory. */
        public String fileName() {
            return name + ".service";
        }
    }

    /** The directories searched for activation files when resolving a unit. */
    public static List<Path> searchPath(Function<String, String> properties, Function<String, String> environment,
            DaemonSettings.Mode mode) {
        String configured = properties.apply(DIRS_PROPERTY);
        List<Path> dirs = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            for (String dir : configured.split(":")) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir.strip()));
                }
            }
            return dirs;
        }
        String dataHome = environment.apply("XDG_DATA_HOME");
        String home = environment.apply("HOME");
        if (dataHome != null && !dataHome.isBlank()) {
            dirs.add(Path.of(dataHome, "dbus-1", "services"));
        } else if (home != null && !home.isBlank()) {
            dirs.add(Path.of(home, ".local", "share", "dbus-1", "services"));
        }
        for (String prefix : List.of("/usr/local/share", "/usr/share", "/etc", "/lib")) {
            dirs.add(Path.of(prefix, "dbus-1", "system-services"));
            dirs.add(Path.of(prefix, "dbus-1", "services"));
        }
        return dirs;
    }

    /** The bus names whose activation file in {@code dirs} says {@code SystemdService=unit}. */
    public static List<String> namesFor(List<Path> dirs, String unit) {
        Set<String> names = new LinkedHashSet<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.service")) {
                for (Path file : files) {
                    Map<String, String> keys = read(file);
                    if (unit.equals(keys.get("SystemdService")) && keys.containsKey("Name")) {
                        names.add(keys.get("Name"));
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // an unreadable directory names nothing
            }
        }
        return List.copyOf(names);
    }

    /** The keys of an activation file's {@code [D-BUS Service]} group. */
    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        boolean inGroup = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (text.startsWith("[")) {
                inGroup = text.equals("[D-BUS Service]");
                continue;
            }
            int equals = text.indexOf('=');
            if (inGroup && equals > 0) {
                keys.putIfAbsent(text.substring(0, equals).strip(), text.substring(equals + 1).strip());
            }
        }
        return keys;
    }

    /** Every {@code dbus} stanza of the job files under {@code confDirs} ({@code *.conf}, recursively). */
    public static List<Claim> claims(List<Path> confDirs) throws IOException {
        List<Claim> claims = new ArrayList<>();
        Set<String> seenJobs = new LinkedHashSet<>();
        for (Path dir : confDirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files;
            try (var walk = Files.walk(dir)) {
                files = walk.filter(path -> path.toString().endsWith(".conf") && Files.isRegularFile(path)).sorted()
                        .toList();
            }
            for (Path file : files) {
                String relative = dir.relativize(file).toString();
                String job = relative.substring(0, relative.length() - ".conf".length());
                if (!seenJobs.add(job)) {
                    continue; // an earlier directory's job of the same name wins
                }
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    Matcher matcher = STANZA.matcher(line);
                    if (matcher.matches()) {
                        claims.add(new Claim(job, BusKind.of(matcher.group(1)).orElseThrow(), matcher.group(2), file));
                    }
                }
            }
        }
        return claims;
    }

    /**
     * What is wrong with {@code dir} for {@code claims}: a missing file, or one whose
     * {@code Name=}, {@code Exec=} or {@code SystemdService=} differs.
     */
    public static List<String> check(Path dir, List<Claim> claims) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Claim claim : claims) {
            Path file = dir.resolve(claim.fileName());
            if (!Files.isRegularFile(file)) {
                problems.add(file + ": missing (job " + claim.job() + " claims " + claim.name() + ")");
                continue;
            }
            Map<String, String> keys = read(file);
            expect(problems, file, keys, "Name", claim.name());
            expect(problems, file, keys, "SystemdService", claim.unit());
            if (!keys.containsKey("Exec")) {
                problems.add(file + ": no Exec= (dbus-daemon refuses the file)");
            }
        }
        return problems;
    }

    private static void expect(List<String> problems, Path file, Map<String, String> keys, String key, String value) {
        String actual = keys.get(key);
        if (!value.equals(actual)) {
            problems.add(file + ": " + key + "=" + (actual == null ? "(none)" : actual) + ", expected " + value);
        }
    }

    /** Writes the activation file of each claim on {@code bus} (every bus when empty) into {@code dir}. */
    public static List<Path> write(Path dir, List<Claim> claims, Optional<BusKind> bus) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (Claim claim : claims) {
            if (bus.isPresent() && bus.get() != claim.bus()) {
                continue;
            }
            Path file = dir.resolve(claim.fileName());
            Path temporary = dir.resolve("." + claim.fileName() + ".tmp");
            Files.writeString(temporary, claim.text(), StandardCharsets.UTF_8);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            written.add(file);
        }
        return written;
    }

    /**
     * {@code upshot dbus-services [--check] [--bus system|session] [--confdir DIR]... DIR}:
     * writes (or with {@code --check} verifies) the activation files for the jobs'
     * {@code dbus} stanzas. Exit status 0, 1 when a check found problems, 2 for bad usage.
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        List<Path> confDirs = new ArrayList<>();
        Optional<BusKind> bus = Optional.empty();
        boolean check = false;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--check" -> check = true;
                case "--confdir" -> {
                    if (++i == args.length) {
                        return usage("--confdir needs a directory");
                    }
                    confDirs.add(Path.of(args[i]));
                }
                case "--bus" -> {
                    if (++i == args.length || BusKind.of(args[i]).isEmpty()) {
                        return usage("--bus needs system or session");
                    }
                    bus = BusKind.of(args[i]);
                }
                default -> {
                    if (args[i].startsWith("-") || out != null) {
                        return usage("unexpected argument: " + args[i]);
                    }
                    out = Path.of(args[i]);
                }
            }
        }
        if (out == null) {
            return usage("no directory given");
        }
        if (confDirs.isEmpty()) {
            // the daemon's own: /etc/init as root, else ~/.config/upshot
            confDirs.addAll(DaemonSettings.fromProperties(System::getProperty, DaemonSettings.Facts.current())
                    .confDirs());
        }
        try {
            List<Claim> claims = new ArrayList<>();
            for (Claim claim : claims(confDirs)) {
                if (bus.isEmpty() || bus.get() == claim.bus()) {
                    claims.add(claim);
                }
            }
            if (check) {
                List<String> problems = check(out, claims);
                problems.forEach(System.out::println);
                System.out.println(claims.size() - problems.size() + " of " + claims.size()
                        + " activation files in " + out + " are right");
                return problems.isEmpty() ? 0 : 1;
            }
            for (Path file : write(out, claims, bus)) {
                System.out.println(file);
            }
            return 0;
        } catch (IOException e) {
            System.err.println("upshot dbus-services: " + e.getMessage());
            return 1;
        }
    }

    private static int usage(String problem) {
        System.err.println("upshot dbus-services: " + problem);
        System.err.println("usage: upshot dbus-services [--check] [--bus system|session] [--confdir DIR]... DIR");
        return 2;
    }
}
