/**
 * What plugins declare, as the engine keeps it: {@link org.upshot.engine.internal.plugin.PluginCatalog}
 * in the daemon (fed from the bundles' manifests and the active extensions), and
 * {@link org.upshot.engine.internal.plugin.PluginJars} for the offline tools (fed from
 * the jars in a plugin directory, with extensions made from their classes). Knowledge
 * flows one way: plugins declare, the engine looks up; nothing here names a plugin's
 * keyword or event.
 */
package org.upshot.engine.internal.plugin;
