package org.upshot.engine.internal.parse;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.upshot.engine.internal.model.CgroupSetting;
import org.upshot.engine.internal.model.Expect;
import org.upshot.engine.internal.model.ExtensionStanza;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.model.ProcessSpec;
import org.upshot.event.EventExpression;
import org.upshot.job.ProcessKind;
import org.upshot.process.ResourceLimit;
import org.upshot.process.Signals;

/**
 * Prints a {@link JobClass} back as a job file in canonical form: one stanza per line in
 * a fixed order, defaults left out, words quoted only where needed, event expressions
 * fully bracketed. Parsing the output gives an equal job (the round trip
 * {@code show-config} promises); only the line numbers recorded for extension stanzas
 * differ, and the positions recorded for {@code needs}.
 */
public final class JobWriter {

    private static final List<ProcessKind> PROCESS_ORDER = List.of(ProcessKind.PRE_START, ProcessKind.MAIN,
            ProcessKind.POST_START, ProcessKind.PRE_STOP, ProcessKind.POST_STOP);

    private JobWriter() {}

    /** The job as job-file text, ending with a newline. */
    public static String write(JobClass job) {
        StringBuilder out = new StringBuilder();
        job.description().ifPresent(v -> single(out, "description", v));
        job.author().ifPresent(v -> single(out, "author", v));
        job.version().ifPresent(v -> single(out, "version", v));
        job.usage().ifPresent(v -> single(out, "usage", v));
        if (!job.instance().isEmpty()) {
            single(out, "instance", job.instance());
        }
        if (job.manual()) {
            out.append("manual\n");
        }
        job.startOn().ifPresent(e -> out.append("start on ").append(expression(e)).append('\n'));
        job.stopOn().ifPresent(e -> out.append("stop on ").append(expression(e)).append('\n'));
        job.needs().forEach(n -> single(out, "needs", n.job()));
        words(out, "emits", job.emits());
        if (job.task()) {
            out.append("task\n");
        }
        if (job.respawn()) {
            out.append("respawn\n");
        }
        if (job.respawnLimit() != JobClass.DEFAULT_RESPAWN_LIMIT
                || job.respawnInterval() != JobClass.DEFAULT_RESPAWN_INTERVAL) {
            out.append("respawn limit ").append(job.respawnLimit()).append(' ').append(job.respawnInterval())
                    .append('\n');
        }
        if (!job.normalExit().isEmpty()) {
            out.append("normal exit");
            job.normalExit().stream().sorted().forEach(status -> out.append(' ')
                    .append(status < 256 ? Integer.toString(status) : Signals.name(status >> 8)));
            out.append('\n');
        }
        job.env().forEach(v -> single(out, "env", v));
        words(out, "export", job.export());
        job.console().ifPresent(c -> out.append("console ").append(c.label()).append('\n'));
        job.umask().ifPresent(m -> out.append(String.format("umask %04o%n", m)));
        job.nice().ifPresent(n -> out.append("nice ").append(n).append('\n'));
        job.oomScore().ifPresent(s -> out.append("oom score ").append(s).append('\n'));
        job.limits().forEach(l -> out
                .append("limit ").append(l.resource().label()).append(' ').append(limit(l.soft())).append(' ')
                .append(limit(l.hard())).append('\n'));
        job.chdir().ifPresent(v -> single(out, "chdir", v));
        job.chroot().ifPresent(v -> single(out, "chroot", v));
        job.setuid().ifPresent(v -> single(out, "setuid", v));
        job.setgid().ifPresent(v -> single(out, "setgid", v));
        job.apparmorLoad().ifPresent(v -> single(out, "apparmor load", v));
        job.apparmorSwitch().ifPresent(v -> single(out, "apparmor switch", v));
        job.cgroups().forEach(c -> words(out, "cgroup", cgroupWords(c)));
        if (job.startTimeout() != 0) {
            out.append("start timeout ").append(job.startTimeout()).append('\n');
        }
        if (job.killTimeout() != JobClass.DEFAULT_KILL_TIMEOUT) {
            out.append("kill timeout ").append(job.killTimeout()).append('\n');
        }
        if (job.killSignal() != Signals.TERM) {
            out.append("kill signal ").append(Signals.name(job.killSignal())).append('\n');
        }
        if (job.reloadSignal() != Signals.HUP) {
            out.append("reload signal ").append(Signals.name(job.reloadSignal())).append('\n');
        }
        if (job.expect() != Expect.NONE) {
            out.append("expect ").append(job.expect().label()).append('\n');
        }
        if (job.debug()) {
            out.append("debug\n");
        }
        for (ExtensionStanza stanza : job.extensions()) {
            out.append(stanza.keyword());
            stanza.arguments().forEach(v -> out.append(' ').append(quote(v, false)));
            out.append('\n');
        }
        processes(out, job.processes());
        return out.toString();
    }

    /** An event expression with every word quoted as the parser needs, fully bracketed. */
    public static String expression(EventExpression expression) {
        if (expression instanceof EventExpression.Or or) {
            return "(" + expression(or.left()) + " or " + expression(or.right()) + ")";
        }
        if (expression instanceof EventExpression.And and) {
            return "(" + expression(and.left()) + " and " + expression(and.right()) + ")";
        }
        EventExpression.Match match = (EventExpression.Match) expression;
        StringBuilder text = new StringBuilder(quote(match.event(), true));
        for (EventExpression.Argument argument : match.arguments()) {
            text.append(' ').append(quote(argument.toString(), true));
        }
        return text.toString();
    }

    /**
     * {@code word} as one job-file word: unchanged when it reads back as itself, else in
     * double quotes with {@code "} and {@code \} escaped. With {@code inExpression},
     * parentheses and the operators {@code and}/{@code or} are quoted too.
     */
    public static String quote(String word, boolean inExpression) {
        boolean plain = !word.isEmpty() && word.charAt(0) != '#'
                && !(inExpression && (word.equals("and") || word.equals("or")));
        for (int i = 0; plain && i < word.length(); i++) {
            char c = word.charAt(i);
            plain = !(Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\'
                    || (inExpression && (c == '(' || c == ')')));
        }
        if (plain) {
            return word;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }

    private static void processes(StringBuilder out, Map<ProcessKind, ProcessSpec> processes) {
        for (ProcessKind kind : PROCESS_ORDER) {
            ProcessSpec spec = processes.get(kind);
            if (spec == null) {
                continue;
            }
            String prefix = kind == ProcessKind.MAIN ? "" : kind.label() + " ";
            if (spec.script()) {
                out.append(prefix).append("script\n").append(spec.command()).append("end script\n");
            } else {
                out.append(prefix).append("exec ").append(spec.command()).append('\n');
            }
        }
    }

    private static List<String> cgroupWords(CgroupSetting c) {
        return Stream.of(Optional.of(c.controller()), c.name(), c.key(), c.value())
                .flatMap(Optional::stream).toList();
    }

    private static String limit(long value) {
        return value == ResourceLimit.UNLIMITED ? "unlimited" : Long.toString(value);
    }

    private static void single(StringBuilder out, String keyword, String value) {
        out.append(keyword).append(' ').append(quote(value, false)).append('\n');
    }

    private static void words(StringBuilder out, String keyword, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        out.append(keyword);
        values.forEach(v -> out.append(' ').append(quote(v, false)));
        out.append('\n');
    }
}
