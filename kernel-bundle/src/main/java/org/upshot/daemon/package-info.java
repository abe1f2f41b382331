/**
 * The daemon's settings ({@link org.upshot.daemon.DaemonSettings}): one typed record,
 * with one default per setting, that the launcher writes as framework properties and
 * every component (engine, control server, sources) and {@code initctl} read back.
 * No {@code org.osgi} imports, so {@code initctl} uses it as a plain library.
 */
@Export
@Version("1.2.0")
package org.upshot.daemon;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
