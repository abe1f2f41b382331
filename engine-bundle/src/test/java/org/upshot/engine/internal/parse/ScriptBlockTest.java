package org.upshot.engine.internal.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.upshot.engine.internal.parse.Parsing.job;

import org.junit.jupiter.api.Test;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.job.ProcessKind;

/** {@code script ... end script}: what is kept byte for byte and what ends the block. */
class ScriptBlockTest {

    private static String body(String text) {
        return job(text).main().orElseThrow().command();
    }

    @Test
    void indentationSharedByAllLinesIsRemoved() {
        assertEquals("echo\n", body("script\n    echo\nend script\n"));
        assertEquals("if true; then\n  echo yes\nfi\n", body("script\n    if true; then\n      echo yes\n    fi\n  end script\n"));
    }

    @Test
    void blankLinesAndTrailingBlanksAreKept() {
        assertEquals("a  \n\n\nb\n", body("script\n  a  \n\n  \n  b\nend script\n"));
    }

    @Test
    void mixedTabsAndSpacesOnlyStripTheCommonPrefix() {
        assertEquals("a\n b\n", body("script\n\ta\n\t b\nend script\n"));
        assertEquals("\ta\n  b\n", body("script\n\ta\n  b\nend script\n"));
    }

    @Test
    void endScriptInsideHeredocDoesNotEndTheBlock() {
        String text = """
                script
                cat > /tmp/x <<EOF
                end script
                EOF
                cat <<-'DONE' | wc -l
                \tend script
                \tDONE
                echo after
                end script
                task
                """;
        JobClass job = job(text);
        assertEquals("cat > /tmp/x <<EOF\nend script\nEOF\ncat <<-'DONE' | wc -l\n\tend script\n\tDONE\necho after\n",
                job.main().orElseThrow().command());
        assertEquals(true, job.task());
    }

    @Test
    void heredocLikeTextThatNeverEndsFallsBackToTheFirstEndScript() {
        assertEquals("echo $((1 << x))\necho 'a <<b'\necho x <<NEVER\n",
                body("script\necho $((1 << x))\necho 'a <<b'\necho x <<NEVER\nend script\n"));
    }

    @Test
    void endScriptMayBeIndentedAndCommented() {
        assertEquals("echo\n", body("script\n  echo\n    end   script   # done\n"));
    }

    @Test
    void endScriptMustStandAlone() {
        assertEquals("end scripts\nend script now\n", body("script\nend scripts\nend script now\nend script\n"));
    }

    @Test
    void commentsInsideScriptsAreKept() {
        assertEquals("# comment\necho \"#x\"\n", body("script\n# comment\necho \"#x\"\nend script\n"));
    }

    @Test
    void emptyScript() {
        assertEquals("", body("script\nend script\n"));
    }

    @Test
    void commentAfterScriptKeywordIsAllowed() {
        assertEquals("true\n", job("pre-stop script # stop it\ntrue\nend script\n").processes()
                .get(ProcessKind.PRE_STOP).command());
    }
}
