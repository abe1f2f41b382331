package org.upshot.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void requestRoundTripsWithOrderKept() {
        Map<String, Object> request = Protocol.request(7, Command.START);
        request.put("job", "getty");
        request.put("env", List.of("TTY=tty1", "QUOTE=\"a\\b\"\n\t\u0001"));
        request.put("wait", Boolean.TRUE);
        String line = Json.write(request);
        assertEquals("{\"v\":1,\"id\":7,\"cmd\":\"start\",\"job\":\"getty\","
                + "\"env\":[\"TTY=tty1\",\"QUOTE=\\\"a\\\\b\\\"\\n\\t\\u0001\"],\"wait\":true}", line);
        assertEquals(request, Json.parseObject(line));
        assertTrue(line.indexOf('\n') < 0, "one line");
    }

    @Test
    void valuesMapToJavaTypes() {
        Object value = Json.parse(" {\"a\": [1, -20, true, false, null, \"\\u00e9\\/\"], \"b\": {}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", java.util.Arrays.asList(1L, -20L, true, false, null, "é/"));
        expected.put("b", Map.of());
        assertEquals(expected, value);
    }

    @Test
    void lineSeparatorsAreEscapedSoLineFramingHolds() {
        assertEquals("\"\\u2028\\u2029\"", Json.write("\u2028\u2029"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[1 2]", "{a:1}",
            "{\"a\":1}x", "\"unterminated", "\"bad \\q escape\"", "\"\\u12g4\"", "01", "1.5", "1e3", "-",
            "tru", "nul", "{\"a\":1,\"a\":2}", "\"tab\tinside\"", "99999999999999999999", "'single'"})
    void malformedJsonIsRefused(String text) {
        assertThrows(JsonException.class, () -> Json.parse(text));
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting"), e.getMessage());
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok);
    }

    @Test
    void errorsNameTheOffset() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\"a\":tru}"));
        assertEquals("unexpected word at offset 5", e.getMessage());
    }

    @Test
    void nonObjectIsRefusedAsAMessage() {
        assertThrows(JsonException.class, () -> Json.parseObject("[1]"));
    }

    @Test
    void fieldAccessorsCheckTypes() {
        Map<String, Object> message = Json.parseObject("{\"job\":1,\"env\":[\"A=1\",2],\"wait\":\"yes\"}");
        assertThrows(JsonException.class, () -> Protocol.string(message, "job", true));
        assertThrows(JsonException.class, () -> Protocol.strings(message, "env"));
        assertThrows(JsonException.class, () -> Protocol.bool(message, "wait", true));
        assertThrows(JsonException.class, () -> Protocol.string(message, "missing", true));
        assertEquals(null, Protocol.string(message, "missing", false));
        assertEquals(List.of(), Protocol.strings(message, "missing"));
        assertEquals(true, Protocol.bool(message, "missing", true));
    }

    @Test
    void writerRefusesTypesJsonLacks() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(1.5d));
    }
}
