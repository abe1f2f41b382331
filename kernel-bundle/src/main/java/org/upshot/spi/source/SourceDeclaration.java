package org.upshot.spi.source;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.annotation.bundle.Attribute;
import org.osgi.annotation.bundle.Capability;

/**
 * Declares an {@link EventSource} implementation in its bundle's manifest, so the daemon
 * and the offline tools know the source's name and the events it emits before the bundle
 * runs (or without running it at all: {@code check-config}). Put it on the class that
 * implements {@link EventSource}; bnd writes it as a capability in the
 * {@value #NAMESPACE} namespace, read back by {@link PluginDeclaration}.
 *
 * <pre>
 * &#64;SourceDeclaration(name = "files", events = "file FILE EVENT MATCH")
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Capability(namespace = SourceDeclaration.NAMESPACE,
        attribute = SourceDeclaration.IMPLEMENTATION + "=${@class}")
public @interface SourceDeclaration {

    /** The capability namespace; its attribute of the same name holds {@link #name()}. */
    String NAMESPACE = "upshot.source";
    /** Capability attribute: the implementing class. */
    String IMPLEMENTATION = "implementation";
    /** Capability attribute: {@link #events()}. */
    String EVENTS = "events";

    /** A short, stable name for logs and {@code initctl}, e.g. {@code files}. */
    @Attribute(NAMESPACE)
    String name();

    /**
     * The events the source emits, each as its name (a shell glob where the name varies,
     * {@code *-device-added}) followed by its variables in order:
     * {@code "file FILE EVENT MATCH"}. {@code check-config} takes a condition on one of
     * these as met by the source.
     */
    @Attribute(EVENTS)
    String[] events() default {};
}
