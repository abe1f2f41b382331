package org.upshot.engine.internal.parse;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.upshot.engine.internal.model.ExtensionStanza;
import org.upshot.engine.internal.model.Need;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.parse.Diagnostic.Kind;
import org.upshot.engine.internal.parse.Lexer.Word;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaExtension;
import org.upshot.spi.stanza.StanzaInput;

/** The state of one parse: what the stanza handlers see, and the way to plugin stanzas. */
final class ParseRun {

    final JobClass.Builder builder;
    final Lexer lexer;
    final List<Diagnostic> diagnostics = new ArrayList<>();
    final Set<String> missing = new LinkedHashSet<>();
    private final StanzaLookup plugins;

    ParseRun(JobClass.Builder builder, Lexer lexer, StanzaLookup plugins) {
        this.builder = builder;
        this.lexer = lexer;
        this.plugins = plugins;
    }

    /** True when some plugin parses or declares {@code keyword}. */
    boolean pluginKnows(String keyword) {
        return plugins.extension(keyword).isPresent() || plugins.declaredBy(keyword).isPresent();
    }

    /**
     * Hands a stanza nobody built in knows to its extension; {@code keyword} is the
     * lookup key ({@code expect notify} for the two-word forms), {@code at} its word.
     */
    void extension(String keyword, Word at, List<Word> arguments) throws ParseException {
        Optional<StanzaExtension> extension = plugins.extension(keyword);
        if (extension.isEmpty()) {
            Optional<String> owner = plugins.declaredBy(keyword);
            if (owner.isEmpty()) {
                throw Lexer.error(lexer.file(), at, Kind.UNKNOWN_STANZA, keyword);
            }
            missing.add(keyword);
            diagnostics.add(Diagnostic.of(lexer.file(), at.line(), at.column(),
                    Kind.EXTENSION_NOT_LOADED, keyword, owner.get()));
            return;
        }
        List<StanzaInput.Word> words = new ArrayList<>(arguments.size());
        List<String> texts = new ArrayList<>(arguments.size());
        for (Word word : arguments) {
            words.add(new StanzaInput.Word(word.text(), word.line(), word.column()));
            texts.add(word.text());
        }
        StanzaInput input = new StanzaInput(builder.name, keyword, words, at.line(), at.column());
        StanzaContribution contribution;
        try {
            contribution = extension.get().parse(input);
        } catch (StanzaException e) {
            throw new ParseException(Diagnostic.of(lexer.file(), e.line(), e.column(),
                    Kind.EXTENSION_REJECTED, keyword, e.getMessage()));
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // Plugin code is untrusted: its failure is this file's error, not the daemon's.
            throw Lexer.error(lexer.file(), at, Kind.EXTENSION_FAILED, keyword, e.toString());
        }
        if (contribution == null) {
            throw Lexer.error(lexer.file(), at, Kind.EXTENSION_FAILED, keyword, "it returned nothing");
        }
        builder.extensions.add(new ExtensionStanza(keyword, texts, at.line(), contribution));
        for (String needed : contribution.needs()) {
            builder.needs.add(new Need(needed, lexer.file(), at.line(), at.column()));
        }
    }
}
