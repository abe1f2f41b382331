package org.upshot.source.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput;

class WatchStanzaExtensionTest {

    private final WatchStanzaExtension extension = new WatchStanzaExtension();

    /** The stanza as the parser would hand it over from line 7, keyword at column 1. */
    private static StanzaInput stanza(String... words) {
        List<StanzaInput.Word> arguments = new ArrayList<>();
        int column = 7;
        for (String word : words) {
            arguments.add(new StanzaInput.Word(word, 7, column));
            column += word.length() + 1;
        }
        return new StanzaInput("cups", "watch", arguments, 7, 1);
    }

    @ParameterizedTest(name = "watch {0}")
    @CsvSource(delimiter = '|', value = {
        "/var/spool/cups/ nonempty        | file FILE=/var/spool/cups/ EVENT=create",
        "/var/spool/cups nonempty         | file FILE=/var/spool/cups/ EVENT=create",
        "/var/spool/cups/*.job nonempty   | file FILE=/var/spool/cups/*.job EVENT=create",
        "/run/app.pid created             | file FILE=/run/app.pid EVENT=create",
        "/etc/app.conf modified           | file FILE=/etc/app.conf EVENT=modify",
        "/run/app.pid deleted             | file FILE=/run/app.pid EVENT=delete",
        "/etc/app.conf                    | file FILE=/etc/app.conf",
        "/run/x created deleted           | (file FILE=/run/x EVENT=create or file FILE=/run/x EVENT=delete)",
    })
    void translatesToFileMatches(String words, String startOn) throws StanzaException {
        StanzaContribution contribution = extension.parse(stanza(words.split(" ")));
        assertEquals(startOn, contribution.startOn().orElseThrow().toString());
        assertEquals(Optional.empty(), contribution.stopOn());
        assertEquals("watch " + words, contribution.settings());
    }

    @ParameterizedTest(name = "watch {0} fails at column {1}")
    @CsvSource(delimiter = '|', value = {
        "relative/dir nonempty         | 7  | must be absolute",
        "/var/*/x created              | 7  | only in the last component",
        "/q created sometimes          | 18 | unknown condition 'sometimes'",
        "/q created created            | 18 | 'created' given twice",
        "/q nonempty created           | 10 | nonempty cannot be combined",
        "/q created nonempty           | 18 | nonempty cannot be combined",
    })
    void badArgumentsAreReportedAtTheirWord(String words, int column, String message) {
        StanzaException error = assertThrows(StanzaException.class, () -> extension.parse(stanza(words.split(" "))));
        assertEquals(7, error.line());
        assertEquals(column, error.column());
        assertTrue(error.getMessage().contains(message), error.getMessage());
    }

    @Test
    void aMissingPathIsReportedAtTheKeyword() {
        StanzaException error = assertThrows(StanzaException.class, () -> extension.parse(stanza()));
        assertEquals(7, error.line());
        assertEquals(1, error.column());
        assertTrue(error.getMessage().contains("watch needs a path"), error.getMessage());
    }

    @Test
    void pathsWithSpacesAreQuotedInSettings() throws StanzaException {
        StanzaContribution contribution = extension.parse(stanza("/srv/my queue/", "nonempty"));
        assertEquals("watch \"/srv/my queue/\" nonempty", contribution.settings());
        assertEquals("file FILE=/srv/my queue/ EVENT=create", contribution.startOn().orElseThrow().toString());
    }
}
