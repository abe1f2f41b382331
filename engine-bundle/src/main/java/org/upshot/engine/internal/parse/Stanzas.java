package org.upshot.engine.internal.parse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.upshot.engine.internal.model.CgroupSetting;
import org.upshot.engine.internal.model.ConsoleMode;
import org.upshot.engine.internal.model.Expect;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.model.Need;
import org.upshot.engine.internal.model.ProcessSpec;
import org.upshot.engine.internal.parse.Diagnostic.Kind;
import org.upshot.engine.internal.parse.Lexer.Word;
import org.upshot.job.ProcessKind;
import org.upshot.process.ResourceLimit;
import org.upshot.process.Signals;

/**
 * The built-in stanza table: one handler per first keyword, each reading its
 * arguments from the lexer and setting the builder. Stanzas that Upstart lets repeat
 * either overwrite (last wins) or add up ({@code env}, {@code export}, {@code emits},
 * {@code normal exit}, {@code limit} per resource, {@code cgroup} per
 * controller/name/key), as Upstart 1.13 does; Upshot's own {@code needs} adds up too.
 */
final class Stanzas {

    /** Parses one stanza whose first keyword has been read. */
    @FunctionalInterface
    interface Handler {
        void parse(ParseRun run, Word keyword) throws ParseException;
    }

    static final Map<String, Handler> TABLE = table();

    private static final int OOM_NEVER = -1000;

    private Stanzas() {}

    private static Map<String, Handler> table() {
        Map<String, Handler> t = new HashMap<>();
        t.put("exec", (run, kw) -> exec(run, ProcessKind.MAIN, "exec"));
        t.put("script", (run, kw) -> script(run, ProcessKind.MAIN, kw, "script"));
        for (ProcessKind kind : List.of(ProcessKind.PRE_START, ProcessKind.POST_START,
                ProcessKind.PRE_STOP, ProcessKind.POST_STOP)) {
            t.put(kind.label(), (run, kw) -> hook(run, kind, kw));
        }
        t.put("start", (run, kw) -> {
            Word next = run.lexer.require(kw.text(), "'on' or 'timeout'");
            if (next.is("timeout")) {
                startTimeout(run);
                return;
            }
            if (!next.is("on")) {
                throw unknown(run, next, kw.text());
            }
            run.builder.startOn = Optional.of(EventExpressionParser.parse(run.lexer, "start on"));
            run.builder.manual = false;
        });
        t.put("stop", (run, kw) -> {
            on(run, kw);
            run.builder.stopOn = Optional.of(EventExpressionParser.parse(run.lexer, "stop on"));
        });
        t.put("manual", (run, kw) -> {
            run.lexer.endOfLine("manual");
            run.builder.startOn = Optional.empty();
            run.builder.manual = true;
        });
        t.put("emits", (run, kw) -> run.builder.emits.addAll(words(run, "emits", "an event name")));
        t.put("export", (run, kw) -> run.builder.export.addAll(words(run, "export", "a variable name")));
        t.put("env", (run, kw) -> single(run, "env", (b, v) -> b.env.add(v)));
        t.put("task", (run, kw) -> flag(run, "task", b -> b.task = true));
        t.put("debug", (run, kw) -> flag(run, "debug", b -> b.debug = true));
        t.put("respawn", Stanzas::respawn);
        t.put("normal", Stanzas::normalExit);
        t.put("instance", (run, kw) -> single(run, "instance", (b, v) -> b.instance = v));
        t.put("description", (run, kw) -> single(run, "description", (b, v) -> b.description = Optional.of(v)));
        t.put("author", (run, kw) -> single(run, "author", (b, v) -> b.author = Optional.of(v)));
        t.put("version", (run, kw) -> single(run, "version", (b, v) -> b.version = Optional.of(v)));
        t.put("usage", (run, kw) -> single(run, "usage", (b, v) -> b.usage = Optional.of(v)));
        t.put("chdir", (run, kw) -> single(run, "chdir", (b, v) -> b.chdir = Optional.of(v)));
        t.put("chroot", (run, kw) -> single(run, "chroot", (b, v) -> b.chroot = Optional.of(v)));
        t.put("setuid", (run, kw) -> single(run, "setuid", (b, v) -> b.setuid = Optional.of(v)));
        t.put("setgid", (run, kw) -> single(run, "setgid", (b, v) -> b.setgid = Optional.of(v)));
        t.put("kill", Stanzas::kill);
        t.put("reload", Stanzas::reload);
        t.put("expect", Stanzas::expect);
        t.put("console", Stanzas::console);
        t.put("umask", Stanzas::umask);
        t.put("nice", Stanzas::nice);
        t.put("oom", Stanzas::oom);
        t.put("limit", Stanzas::limit);
        t.put("apparmor", Stanzas::apparmor);
        t.put("cgroup", Stanzas::cgroup);
        t.put("needs", Stanzas::needs);
        return Map.copyOf(t);
    }

    private static void exec(ParseRun run, ProcessKind kind, String label) throws ParseException {
        int line = run.lexer.line();
        int column = run.lexer.column();
        String command = run.lexer.rawRestOfLine();
        if (command.isEmpty()) {
            throw new ParseException(Diagnostic.of(run.lexer.file(), line, column, Kind.EXPECTED_TOKEN, label,
                    "a command"));
        }
        run.builder.processes.put(kind, new ProcessSpec(command, false));
    }

    private static void script(ParseRun run, ProcessKind kind, Word opener, String label) throws ParseException {
        run.lexer.endOfLine(label);
        run.lexer.consumeNewline();
        Word labelled = new Word(label, opener.line(), opener.column(), false);
        run.builder.processes.put(kind, new ProcessSpec(run.lexer.block(labelled), true));
    }

    private static void hook(ParseRun run, ProcessKind kind, Word keyword) throws ParseException {
        String label = kind.label();
        Word form = run.lexer.require(label, "'exec' or 'script'");
        if (form.is("exec")) {
            exec(run, kind, label + " exec");
        } else if (form.is("script")) {
            script(run, kind, keyword, label + " script");
        } else {
            throw unknown(run, form, label);
        }
    }

    private static void on(ParseRun run, Word keyword) throws ParseException {
        Word on = run.lexer.require(keyword.text(), "'on'");
        if (!on.is("on")) {
            throw unknown(run, on, keyword.text());
        }
    }

    private static List<String> words(ParseRun run, String label, String what) throws ParseException {
        List<Word> words = run.lexer.restOfLineWords();
        if (words.isEmpty()) {
            throw run.lexer.error(Kind.EXPECTED_TOKEN, label, what);
        }
        return words.stream().map(Word::text).toList();
    }

    private static void single(ParseRun run, String label, BiConsumer<JobClass.Builder, String> setter)
            throws ParseException {
        Word value = run.lexer.require(label, "an argument");
        run.lexer.endOfLine(label);
        setter.accept(run.builder, value.text());
    }

    /** {@code needs JOB}: one job per stanza, repeatable; an Upshot stanza, Upstart had none. */
    private static void needs(ParseRun run, Word keyword) throws ParseException {
        Word job = run.lexer.require("needs", "a job name");
        run.lexer.endOfLine("needs");
        run.builder.needs.add(new Need(job.text(), run.lexer.file(), keyword.line(), keyword.column()));
    }

    private static void flag(ParseRun run, String label, Consumer<JobClass.Builder> setter)
            throws ParseException {
        run.lexer.endOfLine(label);
        setter.accept(run.builder);
    }

    private static void respawn(ParseRun run, Word keyword) throws ParseException {
        Word next = run.lexer.word();
        if (next == null) {
            run.builder.respawn = true;
            return;
        }
        if (!next.is("limit")) {
            throw unknown(run, next, "respawn");
        }
        Word count = run.lexer.require("respawn limit", "a count or 'unlimited'");
        if (count.is("unlimited")) {
            run.lexer.endOfLine("respawn limit unlimited");
            run.builder.respawnLimit = 0;
            run.builder.respawnInterval = 0;
            return;
        }
        int limit = integer(run, count, 0, Integer.MAX_VALUE, Kind.ILLEGAL_INTERVAL);
        Word interval = run.lexer.require("respawn limit", "an interval in seconds");
        int seconds = integer(run, interval, 0, Integer.MAX_VALUE, Kind.ILLEGAL_INTERVAL);
        run.lexer.endOfLine("respawn limit");
        run.builder.respawnLimit = limit;
        run.builder.respawnInterval = seconds;
    }

    private static void normalExit(ParseRun run, Word keyword) throws ParseException {
        Word exit = run.lexer.require("normal", "'exit'");
        if (!exit.is("exit")) {
            throw unknown(run, exit, "normal");
        }
        List<Word> statuses = run.lexer.restOfLineWords();
        if (statuses.isEmpty()) {
            throw run.lexer.error(Kind.EXPECTED_TOKEN, "normal exit", "an exit status or signal");
        }
        for (Word status : statuses) {
            String text = status.text();
            if (!text.isEmpty() && Character.isDigit(text.charAt(0))) {
                run.builder.normalExit.add(integer(run, status, 0, 255, Kind.ILLEGAL_EXIT_STATUS));
            } else {
                OptionalInt signal = Signals.number(text);
                if (signal.isEmpty() || signal.getAsInt() == 0) {
                    throw Lexer.error(run.lexer.file(), status, Kind.ILLEGAL_EXIT_STATUS, text);
                }
                run.builder.normalExit.add(signal.getAsInt() << 8);
            }
        }
    }

    /** {@code start timeout 30}, {@code 30s} or {@code 2m}: an Upshot stanza, Upstart had none. */
    private static void startTimeout(ParseRun run) throws ParseException {
        Word value = run.lexer.require("start timeout", "a number of seconds");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})(s|m)?").matcher(value.text());
        if (!m.matches()) {
            throw Lexer.error(run.lexer.file(), value, Kind.ILLEGAL_START_TIMEOUT, value.text());
        }
        int seconds = Integer.parseInt(m.group(1));
        run.builder.startTimeout = "m".equals(m.group(2)) ? seconds * 60 : seconds;
        run.lexer.endOfLine("start timeout");
    }

    private static void kill(ParseRun run, Word keyword) throws ParseException {
        Word what = run.lexer.require("kill", "'timeout' or 'signal'");
        if (what.is("timeout")) {
            Word seconds = run.lexer.require("kill timeout", "a number of seconds");
            run.builder.killTimeout = integer(run, seconds, 0, Integer.MAX_VALUE, Kind.ILLEGAL_TIMEOUT);
            run.lexer.endOfLine("kill timeout");
        } else if (what.is("signal")) {
            run.builder.killSignal = signal(run, "kill signal");
        } else {
            throw unknown(run, what, "kill");
        }
    }

    private static void reload(ParseRun run, Word keyword) throws ParseException {
        Word what = run.lexer.require("reload", "'signal'");
        if (!what.is("signal")) {
            throw unknown(run, what, "reload");
        }
        run.builder.reloadSignal = signal(run, "reload signal");
    }

    private static int signal(ParseRun run, String label) throws ParseException {
        Word name = run.lexer.require(label, "a signal name or number");
        OptionalInt number = Signals.number(name.text());
        if (number.isEmpty()) {
            throw Lexer.error(run.lexer.file(), name, Kind.ILLEGAL_SIGNAL, name.text());
        }
        run.lexer.endOfLine(label);
        return number.getAsInt();
    }

    private static void expect(ParseRun run, Word keyword) throws ParseException {
        Word how = run.lexer.require("expect", "'stop', 'daemon', 'fork' or 'none'");
        Optional<Expect> builtIn = how.quoted() ? Optional.empty() : switch (how.text()) {
            case "stop" -> Optional.of(Expect.STOP);
            case "daemon" -> Optional.of(Expect.DAEMON);
            case "fork" -> Optional.of(Expect.FORK);
            case "none" -> Optional.of(Expect.NONE);
            default -> Optional.empty();
        };
        if (builtIn.isPresent()) {
            run.lexer.endOfLine("expect " + how.text());
            run.builder.expect = builtIn.get();
            return;
        }
        String compound = "expect " + how.text();
        if (!run.pluginKnows(compound)) {
            throw unknown(run, how, "expect");
        }
        run.extension(compound, keyword, run.lexer.restOfLineWords());
    }

    private static void console(ParseRun run, Word keyword) throws ParseException {
        Word mode = run.lexer.require("console", "'none', 'output', 'owner' or 'log'");
        ConsoleMode parsed = switch (mode.quoted() ? "" : mode.text()) {
            case "none" -> ConsoleMode.NONE;
            case "output" -> ConsoleMode.OUTPUT;
            case "owner" -> ConsoleMode.OWNER;
            case "log" -> ConsoleMode.LOG;
            default -> throw unknown(run, mode, "console");
        };
        run.lexer.endOfLine("console " + mode.text());
        run.builder.console = Optional.of(parsed);
    }

    private static void umask(ParseRun run, Word keyword) throws ParseException {
        Word mask = run.lexer.require("umask", "an octal mask");
        String text = mask.text();
        if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(c -> c >= '0' && c <= '7')
                || Integer.parseInt(text, 8) > 0777) {
            throw Lexer.error(run.lexer.file(), mask, Kind.ILLEGAL_UMASK, text);
        }
        run.lexer.endOfLine("umask");
        run.builder.umask = OptionalInt.of(Integer.parseInt(text, 8));
    }

    private static void nice(ParseRun run, Word keyword) throws ParseException {
        Word value = run.lexer.require("nice", "a value from -20 to 19");
        run.builder.nice = OptionalInt.of(integer(run, value, -20, 19, Kind.ILLEGAL_NICE));
        run.lexer.endOfLine("nice");
    }

    private static void oom(ParseRun run, Word keyword) throws ParseException {
        Word first = run.lexer.require("oom", "'score' or an adjustment");
        int score;
        if (first.is("score")) {
            Word value = run.lexer.require("oom score", "a score or 'never'");
            score = value.is("never") ? OOM_NEVER : integer(run, value, -1000, 1000, Kind.ILLEGAL_OOM, "-1000 to 1000");
            run.lexer.endOfLine("oom score");
        } else {
            // The pre-1.3 form takes an oom_adj value (-17..15) and is scaled to a score.
            int adjust = first.is("never") ? -17 : integer(run, first, -17, 15, Kind.ILLEGAL_OOM, "-17 to 15");
            score = adjust < 0 ? adjust * 1000 / 17 : adjust * 1000 / 15;
            run.lexer.endOfLine("oom");
        }
        run.builder.oomScore = OptionalInt.of(score);
    }

    private static void limit(ParseRun run, Word keyword) throws ParseException {
        Word name = run.lexer.require("limit", "a resource");
        ResourceLimit.Resource resource = resource(name.text())
                .orElseThrow(() -> Lexer.error(run.lexer.file(), name, Kind.UNKNOWN_RESOURCE, name.text()));
        String label = "limit " + name.text();
        long soft = limitValue(run, run.lexer.require(label, "a soft and a hard limit"));
        long hard = limitValue(run, run.lexer.require(label, "a hard limit"));
        run.lexer.endOfLine(label);
        run.builder.limits.removeIf(l -> l.resource() == resource);
        run.builder.limits.add(new ResourceLimit(resource, soft, hard));
    }

    private static Optional<ResourceLimit.Resource> resource(String name) {
        for (ResourceLimit.Resource r : ResourceLimit.Resource.values()) {
            if (r.label().equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private static long limitValue(ParseRun run, Word value) throws ParseException {
        if (value.is("unlimited")) {
            return ResourceLimit.UNLIMITED;
        }
        OptionalLong parsed = parseLong(value.text());
        if (parsed.isEmpty() || parsed.getAsLong() < 0) {
            throw Lexer.error(run.lexer.file(), value, Kind.ILLEGAL_LIMIT, value.text());
        }
        return parsed.getAsLong();
    }

    private static void apparmor(ParseRun run, Word keyword) throws ParseException {
        Word what = run.lexer.require("apparmor", "'load' or 'switch'");
        if (what.is("load")) {
            single(run, "apparmor load", (b, v) -> b.apparmorLoad = Optional.of(v));
        } else if (what.is("switch")) {
            single(run, "apparmor switch", (b, v) -> b.apparmorSwitch = Optional.of(v));
        } else {
            throw unknown(run, what, "apparmor");
        }
    }

    private static void cgroup(ParseRun run, Word keyword) throws ParseException {
        List<Word> words = run.lexer.restOfLineWords();
        if (words.isEmpty()) {
            throw run.lexer.error(Kind.EXPECTED_TOKEN, "cgroup", "a controller");
        }
        if (words.size() > 4) {
            Word extra = words.get(4);
            throw Lexer.error(run.lexer.file(), extra, Kind.UNEXPECTED_TOKEN, extra.text(), "cgroup");
        }
        List<Optional<String>> w = words.stream().map(x -> Optional.of(x.text())).toList();
        Optional<String> none = Optional.empty();
        CgroupSetting setting = switch (words.size()) {
            case 1 -> new CgroupSetting(words.get(0).text(), none, none, none);
            case 2 -> new CgroupSetting(words.get(0).text(), w.get(1), none, none);
            case 3 -> new CgroupSetting(words.get(0).text(), none, w.get(1), w.get(2));
            default -> new CgroupSetting(words.get(0).text(), w.get(1), w.get(2), w.get(3));
        };
        run.builder.cgroups.removeIf(c -> c.controller().equals(setting.controller())
                && c.name().equals(setting.name()) && c.key().equals(setting.key()));
        run.builder.cgroups.add(setting);
    }

    private static ParseException unknown(ParseRun run, Word word, String stanza) {
        return Lexer.error(run.lexer.file(), word, Kind.UNKNOWN_ARGUMENT, word.text(), stanza);
    }

    private static int integer(ParseRun run, Word word, int min, int max, Kind kind, Object... more)
            throws ParseException {
        OptionalLong value = parseLong(word.text());
        if (value.isEmpty() || value.getAsLong() < min || value.getAsLong() > max) {
            Object[] words = new Object[more.length + 1];
            words[0] = word.text();
            System.arraycopy(more, 0, words, 1, more.length);
            throw Lexer.error(run.lexer.file(), word, kind, words);
        }
        return (int) value.getAsLong();
    }

    /** A decimal integer with an optional minus sign and nothing else; empty if not one. */
    static OptionalLong parseLong(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start || text.length() - start > 18) {
            return OptionalLong.empty();
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.parseLong(text));
    }
}
