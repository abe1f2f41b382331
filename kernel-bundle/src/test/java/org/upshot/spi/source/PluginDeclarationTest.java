package org.upshot.spi.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import org.junit.jupiter.api.Test;

class PluginDeclarationTest {

    /** What bnd 7.1 writes for a source and a stanza extension, folded as in a manifest. */
    private static final String BND_OUTPUT = "upshot.source;implementation=\"org.example.TickSource\";"
            + "upshot.source=tick;events:List<String>=\"tick COUNT SOURCE,*-device-added KERNEL\\, DEVPATH\","
            + "upshot.stanza;implementation=\"org.example.TickStanza\";keywords:List<String>=\"tick,tock\";"
            + "readiness:List<String>=\"notify\",osgi.service;objectClass:List<String>=\"org.example.Other\"";

    @Test
    void readsSourcesEventsKeywordsAndReadinessFromBndOutput() {
        // both namespaces, list values with an escaped comma, an unrelated capability skipped.
        PluginDeclaration declaration = PluginDeclaration.of("org.example.tick", BND_OUTPUT);
        assertEquals(1, declaration.sources().size());
        PluginDeclaration.Source source = declaration.sources().get(0);
        assertEquals("tick", source.name());
        assertEquals("org.example.TickSource", source.implementation());
        assertEquals(List.of(new PluginDeclaration.EmittedEvent("tick", List.of("COUNT", "SOURCE")),
                new PluginDeclaration.EmittedEvent("*-device-added", List.of("KERNEL,", "DEVPATH"))),
                source.events());
        assertEquals(List.of(new PluginDeclaration.Stanzas("org.example.TickStanza", List.of("tick", "tock"),
                List.of("notify"))), declaration.stanzas());
        assertEquals(Set.of("tick", "tock", "expect notify"), declaration.keywords());
        assertEquals("tick", declaration.displayName());
    }

    @Test
    void aBundleWithoutUpshotCapabilitiesDeclaresNothing() {
        // no Provide-Capability, or only other namespaces: empty, named by its bundle.
        Attributes headers = new Attributes();
        headers.putValue("Bundle-SymbolicName", "org.example.plain;singleton:=true");
        PluginDeclaration declaration = PluginDeclaration.of(headers);
        assertTrue(declaration.isEmpty());
        assertEquals("org.example.plain", declaration.displayName());
        assertTrue(PluginDeclaration.of("x", "osgi.service;objectClass=x").isEmpty());
    }

    @Test
    void anEmptyListAttributeIsAnEmptyList() {
        // bnd writes keywords:List<String>="" for an empty array.
        PluginDeclaration declaration = PluginDeclaration.of("b",
                "upshot.stanza;implementation=\"a.B\";keywords:List<String>=\"\";readiness:List<String>=\"listen\"");
        assertEquals(List.of(), declaration.stanzas().get(0).keywords());
        assertEquals(Set.of("expect listen"), declaration.keywords());
    }

    @Test
    void aCapabilityWithoutItsImplementationIsRefused() {
        // a hand-written header that lost the class: a clear error naming the clause.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PluginDeclaration.of("b", "upshot.source;upshot.source=x"));
        assertTrue(e.getMessage().contains("implementation"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PluginDeclaration.of("b", "upshot.source;upshot.source=\"x;implementation=y"));
    }
}
