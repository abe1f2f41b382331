package org.upshot.source.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathWildcardsTest {

    @ParameterizedTest(name = "''{0}'' has a wildcard: {1}")
    @CsvSource(delimiter = '|', value = {
        "plain.txt | false",
        "*.txt     | true",
        "a?        | true",
        "[ab]      | true",
        "\\*       | false",
    })
    void detectsUnquotedWildcards(String text, boolean expected) {
        assertEquals(expected, PathWildcards.hasWildcard(text));
    }
}
