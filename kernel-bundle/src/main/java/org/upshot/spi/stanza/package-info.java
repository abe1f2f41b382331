/**
 * The stanza-extension SPI: how a plugin bundle adds job-file stanzas such as
 * {@code socket}, {@code dbus}, {@code watch} or {@code every}.
 *
 * <p>A {@link org.upshot.spi.stanza.StanzaExtension} service names its keywords in
 * the service property {@link org.upshot.spi.stanza.StanzaExtension#KEYWORDS}. The
 * job-file parser looks a keyword up in its built-in table first, then among the
 * registered extensions; a keyword nobody claims is a {@code file:line:column}
 * error. A job that uses a keyword whose extension is not loaded stays unloaded
 * until the extension arrives.
 *
 * <p>An extension turns its stanza into things the engine already understands: a
 * start or stop condition (an {@link org.upshot.event.EventExpression} that is
 * {@code or}-ed with the job's own), environment for the job's processes, file
 * descriptors to hand to them, and a readiness condition.
 */
@Export
@Version("1.0.0")
package org.upshot.spi.stanza;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
