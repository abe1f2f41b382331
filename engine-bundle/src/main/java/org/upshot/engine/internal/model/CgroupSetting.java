package org.upshot.engine.internal.model;

import java.util.Optional;

/**
 * One {@code cgroup CONTROLLER [NAME] [KEY VALUE]} stanza.
 *
 * @param controller e.g. {@code memory}
 * @param name the group name, may hold {@code $UPSTART_CGROUP}
 * @param key a setting, with {@code value}
 */
public record CgroupSetting(String controller, Optional<String> name, Optional<String> key,
        Optional<String> value) {}
