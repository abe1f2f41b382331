package org.upshot.spi.stanza;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.annotation.bundle.Attribute;
import org.osgi.annotation.bundle.Capability;

/**
 * Declares a {@link StanzaExtension} implementation and the keywords it parses in its
 * bundle's manifest. Put it on the class that implements {@link StanzaExtension}; bnd
 * writes it as a capability in the {@value #NAMESPACE} namespace. The daemon routes each
 * keyword to the extension that declares it, holds back a job whose keyword's plugin is
 * not active (naming the plugin), and the offline {@code check-config} parses the stanza
 * with the extension from the plugin jar.
 *
 * <pre>
 * &#64;StanzaDeclaration(keywords = "watch")
 * &#64;StanzaDeclaration(keywords = "socket", readiness = "listen")   // also expect listen
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Capability(namespace = StanzaDeclaration.NAMESPACE,
        attribute = StanzaDeclaration.IMPLEMENTATION + "=${@class}")
public @interface StanzaDeclaration {

    /** The capability namespace. */
    String NAMESPACE = "upshot.stanza";
    /** Capability attribute: the implementing class. */
    String IMPLEMENTATION = "implementation";
    /** Capability attribute: {@link #keywords()}. */
    String KEYWORDS = "keywords";
    /** Capability attribute: {@link #readiness()}. */
    String READINESS = "readiness";
    /** How a readiness kind is written in a job file, and looked up: {@code expect KIND}. */
    String EXPECT_PREFIX = "expect ";

    /** The stanza keywords the extension parses, each a first word of a job-file line. */
    @Attribute(KEYWORDS)
    String[] keywords() default {};

    /**
     * The readiness kinds the extension parses as {@code expect KIND}
     * ({@code notify}, {@code listen}); it is called with the keyword {@code expect KIND}.
     * Upstart's own kinds ({@code stop}, {@code fork}, {@code daemon}, {@code none}) stay
     * built in.
     */
    @Attribute(READINESS)
    String[] readiness() default {};
}
