package org.upshot.source.files.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.upshot.event.EventExpression;
import org.upshot.event.EventExpression.Argument;
import org.upshot.event.Glob;
import org.upshot.job.JobView;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput.Word;

/**
 * Finds what to watch in the loaded jobs: every {@code file} match in {@code start on}
 * and {@code stop on}, and every {@code watch} stanza. A pattern the source cannot
 * watch is logged with the job's name and skipped; the other patterns still count.
 */
public final class JobPatterns {

    private static final Logger LOG = PathWatcher.LOG;

    private JobPatterns() {}

    /** The demands of {@code jobs}, keyed by pattern text, in the order first met. */
    public static Map<String, PatternDemand> collect(Collection<JobView> jobs, Path home) {
        Map<String, PatternDemand> demands = new LinkedHashMap<>();
        for (JobView job : jobs) {
            job.startOn().ifPresent(condition -> walk(condition, job, true, home, demands));
            job.stopOn().ifPresent(condition -> walk(condition, job, false, home, demands));
            // The watch stanza's contribution normally reaches startOn already; reading the
            // stanza too keeps the source right if an engine shows only the job's own line.
            for (List<String> arguments : job.stanzas().getOrDefault(WatchStanza.KEYWORD, List.of())) {
                List<Word> words = new ArrayList<>();
                for (String argument : arguments) {
                    words.add(new Word(argument, 0, 0));
                }
                try {
                    for (FileCondition condition : WatchStanza.parse(words, 0, 0, home)) {
                        demand(job, condition.file(), kindsOf(condition.event()), true, home, demands);
                    }
                } catch (StanzaException e) {
                    LOG.log(Level.WARNING, "job {0}: cannot watch {1}: {2}", job.name(), arguments,
                            e.getMessage());
                }
            }
        }
        return demands;
    }

    private static void walk(EventExpression expression, JobView job, boolean startCondition, Path home,
            Map<String, PatternDemand> demands) {
        for (EventExpression.Match match : expression.matches()) {
            if (match.event().equals(FileCondition.EVENT_NAME)) {
                fromMatch(match, job, startCondition, home, demands);
            }
        }
    }

    private static void fromMatch(EventExpression.Match match, JobView job, boolean startCondition, Path home,
            Map<String, PatternDemand> demands) {
        // The event carries FILE then EVENT, so positional arguments mean those two.
        Optional<Argument> file = argument(match, "FILE", 0);
        if (file.isEmpty() || file.get().negated()) {
            LOG.log(Level.WARNING, "job {0}: ''{1}'' names no FILE=PATH, so there is nothing to watch",
                    job.name(), match);
            return;
        }
        if (file.get().pattern().contains("$")) {
            LOG.log(Level.WARNING, "job {0}: cannot watch {1}: variables are not expanded in FILE=",
                    job.name(), file.get().pattern());
            return;
        }
        Set<FileEventKind> kinds = EnumSet.allOf(FileEventKind.class);
        Optional<Argument> event = argument(match, "EVENT", 1);
        if (event.isPresent()) {
            Glob glob = Glob.compile(event.get().pattern());
            kinds.removeIf(kind -> glob.matches(kind.label()) == event.get().negated());
        }
        demand(job, file.get().pattern(), kinds, startCondition, home, demands);
    }

    private static Optional<Argument> argument(EventExpression.Match match, String key, int position) {
        int positional = 0;
        for (Argument argument : match.arguments()) {
            if (argument.isPositional() ? positional++ == position : argument.key().equals(key)) {
                return Optional.of(argument);
            }
        }
        return Optional.empty();
    }

    private static Set<FileEventKind> kindsOf(Optional<FileEventKind> event) {
        return event.map(EnumSet::of).orElseGet(() -> EnumSet.allOf(FileEventKind.class));
    }

    private static void demand(JobView job, String file, Set<FileEventKind> kinds, boolean startCondition,
            Path home, Map<String, PatternDemand> demands) {
        if (kinds.isEmpty()) {
            return;
        }
        PatternDemand demand = demands.get(file);
        if (demand == null) {
            try {
                demand = new PatternDemand(PathPattern.parse(file, home));
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "job {0}: cannot watch {1}: {2}", job.name(), file, e.getMessage());
                return;
            }
            demands.put(file, demand);
        }
        demand.add(job.name(), kinds, startCondition);
    }
}
