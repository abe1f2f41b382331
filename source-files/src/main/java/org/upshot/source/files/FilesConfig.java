package org.upshot.source.files;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the files source; every value has a default, so no configuration is needed. */
@ObjectClassDefinition(name = "Upshot files source", description = "Path events for jobs: file FILE=... EVENT=...")
public @interface FilesConfig {

    /** The persistent identity the configuration is stored under. */
    String PID = "org.upshot.source.files";

    @AttributeDefinition(description = "Coalescing window in milliseconds: per pattern and kind, the first change"
            + " is emitted at once, later ones in the window are held to its end")
    long coalesce_millis() default 100;

    @AttributeDefinition(description = "Most distinct paths one pattern and kind report per window; more are"
            + " dropped, and the window still ends with an event")
    int events_per_window() default 8;

    @AttributeDefinition(description = "Seconds between attempts to watch a directory that could not be watched"
            + " (watch limit reached, permission denied)")
    long retry_seconds() default 30;
}
