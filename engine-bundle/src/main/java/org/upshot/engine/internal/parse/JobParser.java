package org.upshot.engine.internal.parse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.upshot.engine.internal.model.ExtensionStanza;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.parse.Diagnostic.Kind;
import org.upshot.engine.internal.parse.Lexer.Word;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaExtension;
import org.upshot.spi.stanza.StanzaInput;

/**
 * Parses the text of one job file into a {@link JobClass}.
 *
 * <p>Stanza keywords are looked up in the built-in table ({@link Stanzas}) first, then
 * through the extension lookup given to the constructor. A file stops at its first
 * error, as Upstart's does, and yields no job; a stanza whose plugin is not loaded is
 * reported, the rest of the file is still checked, and the job is held back until the
 * plugin arrives ({@link ParseResult#missingExtensions()}).
 *
 * <p>Instances are immutable and thread-safe as long as the lookup is: the
 * configuration watcher calls them from its own thread.
 */
public final class JobParser {

    private final StanzaLookup plugins;

    /**
     * @param plugins finds the extension parsing a keyword, or the plugin that declares
     *     it; called with plain keywords ({@code socket}) and with two-word {@code expect}
     *     forms ({@code expect notify})
     */
    public JobParser(StanzaLookup plugins) {
        this.plugins = Objects.requireNonNull(plugins, "plugins");
    }

    /**
     * Parses a {@code .conf} file's text.
     *
     * @param jobName the job's name ({@code net/foo} for {@code CONFDIR/net/foo.conf})
     * @param file the file, recorded in the job and in diagnostics
     * @param text the file's content
     */
    public ParseResult parse(String jobName, Path file, String text) {
        return run(JobClass.builder(jobName, file), file, text);
    }

    /**
     * Parses an {@code .override} file on top of an already parsed job: each stanza it
     * has replaces (or, for accumulating stanzas, adds to) what the job had.
     *
     * @param base the job parsed from the {@code .conf}
     * @param overrideFile the override file, named in diagnostics
     * @param text its content
     */
    public ParseResult parseOverride(JobClass base, Path overrideFile, String text) {
        return run(base.toBuilder(), overrideFile, text);
    }

    private ParseResult run(JobClass.Builder builder, Path file, String text) {
        ParseRun run = new ParseRun(builder, new Lexer(file, text), plugins);
        try {
            stanzas(run);
        } catch (ParseException e) {
            run.diagnostics.add(e.diagnostic());
            return new ParseResult(Optional.empty(), run.diagnostics, run.missing);
        }
        Optional<JobClass> job = run.missing.isEmpty() ? Optional.of(builder.build()) : Optional.empty();
        return new ParseResult(job, run.diagnostics, run.missing);
    }

    /** Each stanza to its built-in handler, else to the plugin that parses its keyword. */
    private static void stanzas(ParseRun run) throws ParseException {
        Lexer lexer = run.lexer;
        while (lexer.nextStanza()) {
            Word keyword = lexer.word();
            Stanzas.Handler handler = keyword.quoted() ? null : Stanzas.TABLE.get(keyword.text());
            if (handler != null) {
                handler.parse(run, keyword);
            } else {
                run.extension(keyword.text(), keyword, lexer.restOfLineWords());
            }
            lexer.consumeNewline();
        }
    }
}
