/**
 * The job-file parser: Upstart 1.13's job language, read into
 * {@link org.upshot.engine.internal.model.JobClass} values.
 *
 * <h2>Shape</h2>
 * <p>Three layers, each small. {@link org.upshot.engine.internal.parse.Lexer} turns text
 * into words with line and column: blanks separate words, {@code \} before a newline
 * continues a line, {@code #} starting a word comments out the rest of the line, quotes
 * group (and may span lines) and are removed. It also has the two raw modes Upstart
 * needs: the rest of a line with quotes kept (for {@code exec}) and a {@code script}
 * block (for which see {@link org.upshot.engine.internal.parse.ScriptBlock}).
 * {@link org.upshot.engine.internal.parse.Stanzas} is the table of built-in stanzas, one
 * handler per first keyword, as Upstart's {@code stanzas[]} table in
 * {@code parse_job.c}. {@link org.upshot.engine.internal.parse.EventExpressionParser}
 * reads {@code start on}/{@code stop on} into an
 * {@link org.upshot.event.EventExpression} tree: one precedence level,
 * left-associative, parentheses, several lines only while a parenthesis is open.
 *
 * <h2>Errors</h2>
 * <p>Every problem is a {@link org.upshot.engine.internal.parse.Diagnostic}: file, line,
 * column, a {@link org.upshot.engine.internal.parse.Diagnostic.Kind} and a message that
 * names the offending word, rendered {@code file:line:column: message}. Like Upstart, a
 * file stops at its first error and yields no job; the caller (the configuration
 * loader) goes on with the other files. Internally the handlers throw one checked
 * {@code ParseException} carrying the diagnostic; nothing else escapes
 * {@link org.upshot.engine.internal.parse.JobParser#parse}, which the property test
 * checks on random and mutated input.
 *
 * <h2>Extensions</h2>
 * <p>A keyword missing from the built-in table is looked up through the
 * {@link org.upshot.engine.internal.parse.StanzaLookup} given to
 * {@link org.upshot.engine.internal.parse.JobParser} (the engine backs it with the
 * {@link org.upshot.spi.stanza.StanzaExtension} services it tracks and the keywords the
 * plugins declare in their manifests). An {@code expect} form that is not one of
 * Upstart's is looked up as the two-word keyword {@code expect KIND}. What the extension
 * returns is kept as an {@link org.upshot.engine.internal.model.ExtensionStanza}. A
 * keyword that a plugin declares but whose extension is not active is reported, naming
 * the plugin, but does not stop the parse; the job is held back until the plugin
 * arrives. A keyword nobody declares is an unknown stanza. Calls into extensions are
 * guarded: whatever they throw becomes a diagnostic on that stanza. The parser knows no
 * plugin's vocabulary itself.
 *
 * <h2>Choices where Upstart leaves room</h2>
 * <ul>
 * <li>A script block loses the leading blanks its non-blank lines all share; all else
 * (blank lines, here-documents, trailing blanks) is kept. A line {@code end script}
 * inside a here-document does not end the block.</li>
 * <li>An {@code exec} command keeps its quotes; a backslash-newline outside quotes is
 * dropped and a trailing comment removed.</li>
 * <li>{@link org.upshot.engine.internal.parse.JobWriter} prints a job back in canonical
 * syntax that parses to an equal job ({@code show-config}).</li>
 * </ul>
 */
package org.upshot.engine.internal.parse;
