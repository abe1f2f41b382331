package org.upshot.source.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

    @ParameterizedTest(name = "''{0}'' against ''{1}'' is {2}")
    @CsvSource(delimiter = '|', value = {
        "*.job      | c001.job    | true",
        "*.job      | c001.jobs   | false",
        "*          | .hidden     | true",
        "c???       | c001        | true",
        "c???       | c01         | false",
        "[cd]0*     | d00001-001  | true",
        "[!cd]*     | d00001      | false",
        "[^cd]*     | e1          | true",
        "[a-c]x     | bx          | true",
        "[a-c]x     | dx          | false",
        "[]]x       | ]x          | true",
        "[x         | [x          | true",
        "\\*.job    | *.job       | true",
        "\\*.job    | a.job       | false",
        "a*b*c      | aXXbYYc     | true",
        "a*b*c      | aXXbYY      | false",
        "**         | anything    | true",
        "create     | create      | true",
        "cr*        | modify      | false",
    })
    void matchesLikeFnmatch(String pattern, String text, boolean expected) {
        assertEquals(expected, Glob.matches(pattern, text));
    }

    @ParameterizedTest(name = "''{0}'' has a wildcard: {1}")
    @CsvSource(delimiter = '|', value = {
        "plain.txt | false",
        "*.txt     | true",
        "a?        | true",
        "[ab]      | true",
        "\\*       | false",
    })
    void detectsUnquotedWildcards(String text, boolean expected) {
        assertEquals(expected, Glob.hasWildcard(text));
    }
}
