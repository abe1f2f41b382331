/**
 * The stanza-extension SPI: how a plugin bundle adds job-file stanzas such as
 * {@code socket}, {@code dbus}, {@code watch} or {@code every}, and readiness kinds
 * such as {@code expect notify}.
 *
 * <p>A {@link org.upshot.spi.stanza.StanzaExtension} implementation names its keywords
 * with {@link org.upshot.spi.stanza.StanzaDeclaration}, which bnd writes into the
 * bundle's manifest. The job-file parser looks a keyword up in its built-in table first,
 * then among the registered extensions. A keyword that an installed plugin declares but
 * whose extension is not active holds the job back, naming the plugin, until it is; a
 * keyword nobody declares is a {@code file:line:column} error.
 *
 * <p>An extension turns its stanza into things the engine already understands
 * ({@link org.upshot.spi.stanza.StanzaContribution}): a start or stop condition (an
 * {@link org.upshot.event.EventExpression} that is {@code or}-ed with the job's own),
 * environment for the job's processes, file descriptors to hand to them, a readiness
 * condition ({@link org.upshot.spi.stanza.Readiness}), and an instance name template for
 * one instance per occurrence.
 *
 * <p>History: 2.0: keywords are declared with {@link org.upshot.spi.stanza.StanzaDeclaration} (no service property); {@link org.upshot.spi.stanza.StanzaContribution} is built with a builder and may name instances; {@link org.upshot.spi.stanza.Readiness} waits for a {@link org.upshot.spi.stanza.ReadinessTarget} and answers the pid to supervise. 2.1: {@link org.upshot.spi.stanza.Readiness#reload} lets a readiness kind say when a reload is done. 2.2: {@link org.upshot.spi.stanza.StanzaContribution#needs} lets a stanza make its job need another, as {@code needs JOB} does.
 */
@Export
@Version("2.2.0")
package org.upshot.spi.stanza;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
