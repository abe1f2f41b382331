package org.upshot.engine.internal.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.engine.internal.parse.Parsing.job;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.upshot.engine.internal.model.CgroupSetting;
import org.upshot.engine.internal.model.ConsoleMode;
import org.upshot.engine.internal.model.Expect;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.model.Need;
import org.upshot.engine.internal.model.ProcessSpec;
import org.upshot.event.EventExpression.Match;
import org.upshot.job.ProcessKind;
import org.upshot.process.ResourceLimit;
import org.upshot.process.ResourceLimit.Resource;
import org.upshot.process.Signals;

/** Each built-in stanza: its arguments, its default, and how repeats combine. */
class StanzaTest {

    @Test
    void fileWithOnlyDescriptionHasNoProcessAndUpstartDefaults() {
        JobClass job = job("description state\n");
        assertEquals(Optional.of("state"), job.description());
        assertTrue(job.processes().isEmpty());
        assertEquals(10, job.respawnLimit());
        assertEquals(5, job.respawnInterval());
        assertEquals(5, job.killTimeout());
        assertEquals(Signals.TERM, job.killSignal());
        assertEquals(Signals.HUP, job.reloadSignal());
        assertEquals(Expect.NONE, job.expect());
        assertEquals(Optional.empty(), job.console());
        assertEquals("", job.instance());
        assertFalse(job.task() || job.respawn() || job.debug() || job.manual());
    }

    @Test
    void execKeepsQuotesAndArguments() {
        assertEquals(new ProcessSpec("/sbin/daemon -d \"foo\"", false),
                job("exec /sbin/daemon -d \"foo\"\n").main().orElseThrow());
    }

    @Test
    void execDropsTrailingCommentAndJoinsContinuation() {
        assertEquals("/bin/foo --a --b 'x # y'",
                job("exec /bin/foo --a \\\n  --b 'x # y'   # run it\n").main().orElseThrow().command()
                        .replaceAll(" +", " "));
    }

    @Test
    void execKeepsAnEscapedTrailingBlankAndDropsABackslashAtEndOfFile() {
        // Found by the property test: both used to print back as text that parsed differently.
        assertEquals("foo\\ ", job("exec foo\\ \n").main().orElseThrow().command());
        assertEquals("foo", job("exec foo\\").main().orElseThrow().command());
    }

    @Test
    void execAndScriptReplaceEachOtherLastWins() {
        assertEquals(new ProcessSpec("echo\n", true), job("exec /bin/true\nscript\n  echo\nend script\n")
                .main().orElseThrow());
        assertEquals(new ProcessSpec("/bin/true", false), job("script\necho\nend script\nexec /bin/true\n")
                .main().orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(value = ProcessKind.class, names = {"PRE_START", "POST_START", "PRE_STOP", "POST_STOP"})
    void hooksTakeExecOrScript(ProcessKind kind) {
        JobClass exec = job(kind.label() + " exec /bin/hook arg\n");
        assertEquals(new ProcessSpec("/bin/hook arg", false), exec.processes().get(kind));
        JobClass script = job(kind.label() + " script\n    echo hi\nend script\n");
        assertEquals(new ProcessSpec("echo hi\n", true), script.processes().get(kind));
        assertEquals(Set.of(kind), script.processes().keySet());
    }

    @Test
    void startOnLastOneWins() {
        JobClass job = job("start on wibble\nstart on wobble\nstart on waggle\n");
        assertEquals(Optional.of(new Match("waggle", List.of())), job.startOn());
    }

    @Test
    void stopOnIsParsed() {
        assertEquals("runlevel [!2345]", job("stop on runlevel [!2345]\n").stopOn().orElseThrow().toString());
    }

    @Test
    void manualAfterStartOnClearsIt() {
        JobClass job = job("start on wibble\nmanual\n");
        assertEquals(Optional.empty(), job.startOn());
        assertTrue(job.manual());
    }

    @Test
    void manualBeforeStartOnHasNoEffect() {
        JobClass job = job("manual\nstart on wibble\n");
        assertEquals("wibble", job.startOn().orElseThrow().toString());
        assertFalse(job.manual());
    }

    @Test
    void emitsAndExportAddUp() {
        JobClass job = job("emits a b\nemits c*\nexport FOO BAR BAZ\nexport QUUX\n");
        assertEquals(List.of("a", "b", "c*"), job.emits());
        assertEquals(List.of("FOO", "BAR", "BAZ", "QUUX"), job.export());
    }

    @Test
    void envAddsUpInOrderAndKeepsBareNames() {
        JobClass job = job("env FOO=BAR\nenv BAZ=QUUX\nenv FRODO=BILBO\nenv HOME\nenv MSG=\"hello world\"\n");
        assertEquals(List.of("FOO=BAR", "BAZ=QUUX", "FRODO=BILBO", "HOME", "MSG=hello world"), job.env());
    }

    @Test
    void flagsTaskRespawnDebug() {
        JobClass job = job("task\nrespawn\ndebug\n");
        assertTrue(job.task());
        assertTrue(job.respawn());
        assertTrue(job.debug());
    }

    @Test
    void respawnLimitSetsCountAndIntervalButNotRespawn() {
        JobClass job = job("respawn limit 3 30\n");
        assertEquals(3, job.respawnLimit());
        assertEquals(30, job.respawnInterval());
        assertFalse(job.respawn());
        JobClass unlimited = job("respawn limit unlimited\n");
        assertEquals(0, unlimited.respawnLimit());
        assertEquals(0, unlimited.respawnInterval());
    }

    @Test
    void normalExitStoresCodesAndSignalsShifted() {
        JobClass job = job("normal exit 99 100 101 SIGTERM\nnormal exit INT 0\n");
        assertEquals(Set.of(99, 100, 101, Signals.TERM << 8, Signals.INT << 8, 0), job.normalExit());
    }

    @Test
    void singleArgumentStanzasLastOneWins() {
        JobClass job = job("""
                description "a test job"
                description "another"
                author "Jane Roe <jane@example.org>"
                version 1.2
                usage "start test PORT=N"
                instance $PORT
                chdir /srv
                chroot /jail
                setuid www-data
                setgid www-data
                """);
        assertEquals(Optional.of("another"), job.description());
        assertEquals(Optional.of("Jane Roe <jane@example.org>"), job.author());
        assertEquals(Optional.of("1.2"), job.version());
        assertEquals(Optional.of("start test PORT=N"), job.usage());
        assertEquals("$PORT", job.instance());
        assertEquals(Optional.of("/srv"), job.chdir());
        assertEquals(Optional.of("/jail"), job.chroot());
        assertEquals(Optional.of("www-data"), job.setuid());
        assertEquals(Optional.of("www-data"), job.setgid());
    }

    @Test
    void usageContinuedInsideQuotesWithBackslash() {
        JobClass job = job("usage \"VERSION - version, \\\n       CLUSTER - cluster.\"\n");
        assertEquals(Optional.of("VERSION - version,        CLUSTER - cluster."), job.usage());
    }

    @Test
    void killTimeoutAndSignals() {
        JobClass job = job("kill timeout 10\nkill signal INT\nreload signal USR2\nreload signal 31\n");
        assertEquals(10, job.killTimeout());
        assertEquals(Signals.INT, job.killSignal());
        assertEquals(31, job.reloadSignal());
        assertEquals(0, job("reload signal 0\n").reloadSignal());
        assertEquals(30, job("kill signal 30\n").killSignal());
        assertEquals(Signals.TERM, job("kill signal SIGTERM\n").killSignal());
    }

    @Test
    void needsAddsUpWithPositionsAndStopsOnStoppingEachNeededJob() {
        JobClass job = job("stop on runlevel [016]\nneeds db\n  needs \"cache\"\nneeds db\n");
        assertEquals(List.of("db", "cache", "db"), job.needs().stream().map(Need::job).toList());
        assertEquals(List.of(2, 1, 3, 3), List.of(job.needs().get(0).line(), job.needs().get(0).column(),
                job.needs().get(1).line(), job.needs().get(1).column()));
        assertEquals(List.of("db", "cache"), job.neededJobs(), "each needed job once");
        assertEquals("((runlevel [016] or stopping db) or stopping cache)", job.fullStopOn().orElseThrow().toString());
        assertEquals("runlevel [016]", job.stopOn().orElseThrow().toString(), "the stanza's own stop on is kept apart");
        assertTrue(JobWriter.write(job).contains("needs db\nneeds cache\nneeds db\n"), JobWriter.write(job));
    }

    @Test
    void startTimeoutInSecondsOrMinutesAndShownAsSeconds() {
        assertEquals(0, job("start on startup\n").startTimeout(), "none unless asked, as in Upstart");
        assertEquals(30, job("start timeout 30\n").startTimeout());
        assertEquals(45, job("start timeout 45s\n").startTimeout());
        JobClass minutes = job("start timeout 2m\nstart on startup\n");
        assertEquals(120, minutes.startTimeout());
        assertTrue(JobWriter.write(minutes).contains("start timeout 120\n"), JobWriter.write(minutes));
        assertEquals(Optional.of("startup"), minutes.startOn().map(Object::toString), "start on still parses");
    }

    @ParameterizedTest
    @CsvSource({"stop,STOP", "daemon,DAEMON", "fork,FORK", "none,NONE"})
    void expectForms(String word, Expect expected) {
        assertEquals(expected, job("expect " + word + "\n").expect());
    }

    @ParameterizedTest
    @EnumSource(ConsoleMode.class)
    void consoleModes(ConsoleMode mode) {
        assertEquals(Optional.of(mode), job("console " + mode.label() + "\n").console());
    }

    @Test
    void umaskIsOctal() {
        assertEquals(OptionalInt.of(0755), job("umask 0755\n").umask());
        assertEquals(OptionalInt.of(022), job("umask 022\n").umask());
    }

    @Test
    void niceRange() {
        assertEquals(OptionalInt.of(10), job("nice 10\n").nice());
        assertEquals(OptionalInt.of(-10), job("nice -10\n").nice());
        assertEquals(OptionalInt.of(-20), job("nice -20\n").nice());
        assertEquals(OptionalInt.of(19), job("nice 19\n").nice());
    }

    @Test
    void oomScoreAndLegacyOomOverwriteEachOther() {
        assertEquals(OptionalInt.of(100), job("oom score 100\n").oomScore());
        assertEquals(OptionalInt.of(-1000), job("oom score never\n").oomScore());
        assertEquals(OptionalInt.of(-1000), job("oom never\n").oomScore());
        assertEquals(OptionalInt.of(666), job("oom 10\n").oomScore());
        assertEquals(OptionalInt.of(-1000), job("oom -17\n").oomScore());
        assertEquals(OptionalInt.of(-900), job("oom score -900\n").oomScore());
        assertEquals(OptionalInt.of(50), job("oom 10\noom score 50\n").oomScore());
        assertEquals(OptionalInt.of(666), job("oom score 50\noom 10\n").oomScore());
    }

    @ParameterizedTest
    @EnumSource(Resource.class)
    void everyLimitResourceWithUnlimitedEitherSide(Resource resource) {
        JobClass job = job("limit " + resource.label() + " 10 unlimited\n");
        assertEquals(List.of(new ResourceLimit(resource, 10, ResourceLimit.UNLIMITED)), job.limits());
        assertEquals(List.of(new ResourceLimit(resource, ResourceLimit.UNLIMITED, 20)),
                job("limit " + resource.label() + " unlimited 20\n").limits());
    }

    @Test
    void limitRepeatForSameResourceReplaces() {
        JobClass job = job("limit nofile 1 2\nlimit core 0 0\nlimit nofile 4096 8192\n");
        assertEquals(List.of(new ResourceLimit(Resource.CORE, 0, 0), new ResourceLimit(Resource.NOFILE, 4096, 8192)),
                job.limits());
    }

    @Test
    void apparmorLoadLastWinsAndSwitch() {
        JobClass job = job("apparmor load /etc/apparmor.d/a\napparmor load /etc/apparmor.d/b\napparmor switch $PROFILE\n");
        assertEquals(Optional.of("/etc/apparmor.d/b"), job.apparmorLoad());
        assertEquals(Optional.of("$PROFILE"), job.apparmorSwitch());
    }

    @Test
    void cgroupFormsByArgumentCount() {
        JobClass job = job("""
                cgroup memory
                cgroup cpu $UPSTART_CGROUP
                cgroup memory memory.limit_in_bytes 52428800
                cgroup blkio mygroup blkio.weight 500
                cgroup memory memory.limit_in_bytes 1000
                """);
        Optional<String> none = Optional.empty();
        assertEquals(List.of(
                new CgroupSetting("memory", none, none, none),
                new CgroupSetting("cpu", Optional.of("$UPSTART_CGROUP"), none, none),
                new CgroupSetting("blkio", Optional.of("mygroup"), Optional.of("blkio.weight"), Optional.of("500")),
                new CgroupSetting("memory", none, Optional.of("memory.limit_in_bytes"), Optional.of("1000"))),
                job.cgroups());
    }

    @Test
    void commentsAfterStanzasAndIndentedStanzas() {
        JobClass job = job("  # leading comment\n\ttask # a task\n   respawn\t# and respawn\n");
        assertTrue(job.task());
        assertTrue(job.respawn());
    }

    @Test
    void continuationJoinsStanzaArguments() {
        assertEquals(List.of("a", "b", "c"), job("emits a \\\n  b \\\n  c\n").emits());
    }

    @Test
    void quotesGroupWordsAndMaySpanLines() {
        assertEquals(Optional.of("two\nlines"), job("description \"two\nlines\"\ntask\n").description());
        assertEquals(Optional.of("it's"), job("description \"it's\"\n").description());
        assertEquals(Optional.of("say \"hi\""), job("description 'say \"hi\"'\n").description());
    }

    @Test
    void crlfLineEndsAreAccepted() {
        JobClass job = job("description x\r\ntask\r\nexec /bin/true\r\n");
        assertEquals(Optional.of("x"), job.description());
        assertEquals("/bin/true", job.main().orElseThrow().command());
    }

    @Test
    void overrideReplacesAndAddsToConf() {
        JobParser parser = new JobParser(StanzaLookup.NONE);
        JobClass base = parser.parse("test", Parsing.FILE, "start on foo\nenv A=1\nexec /bin/a\n").job().orElseThrow();
        JobClass merged = parser.parseOverride(base, Parsing.FILE.resolveSibling("test.override"),
                "manual\nenv B=2\nexec /bin/b\n").job().orElseThrow();
        assertEquals(Optional.empty(), merged.startOn());
        assertTrue(merged.manual());
        assertEquals(List.of("A=1", "B=2"), merged.env());
        assertEquals("/bin/b", merged.main().orElseThrow().command());
    }
}
