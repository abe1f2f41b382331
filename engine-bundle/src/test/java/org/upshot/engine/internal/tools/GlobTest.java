package org.upshot.engine.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** fnmatch-style globs for event names, and the events check-config takes as known. */
class GlobTest {

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
        "foo,foo,true", "foo,food,false", "f*,foo,true", "*,'',true", "f?o,foo,true", "f?o,fo,false",
        "[2345],3,true", "[2345],6,false", "[!2345],6,true", "[!2345],2,false", "[a-c]x,bx,true",
        "[a-c]x,dx,false", "net-device-*,net-device-up,true", "*-device-added,eth0-device-added,true",
        "a*b*c,aXbYc,true", "a*b*c,aXbY,false", "[unclosed,[unclosed,true"})
    void matches(String pattern, String text, boolean expected) {
        assertEquals(expected, Glob.matches(pattern, text));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "startup,true", "startup/failed,true", "stopped,true", "runlevel,true", "net-device-up,true",
        "block-device-changed,true", ":sys:rotate-logs,true", "local-filesystems,true", "socket,true",
        "wibble,false", "wibble/failed,false", "device-added,false"})
    void knownEvents(String event, boolean known) {
        assertEquals(known, KnownEvents.covers(event));
    }
}
