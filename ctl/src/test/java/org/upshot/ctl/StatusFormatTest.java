package org.upshot.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.upshot.control.Json;

/** Upstart's status lines, from the protocol's objects (util/tests/test_initctl.c's shapes). */
class StatusFormatTest {

    private static String instance(String json) {
        StringBuilder out = new StringBuilder();
        StatusFormat.instance(Json.parseObject(json), out);
        return out.toString();
    }

    @Test
    void singletonAndInstanceLines() {
        assertEquals("test start/running, process 3648\n", instance(
                "{\"job\":\"test\",\"instance\":\"\",\"goal\":\"start\",\"state\":\"running\","
                + "\"processes\":[{\"process\":\"main\",\"pid\":3648}]}"));
        assertEquals("test (foo) start/running, process 3648\n", instance(
                "{\"job\":\"test\",\"instance\":\"foo\",\"goal\":\"start\",\"state\":\"running\","
                + "\"processes\":[{\"process\":\"main\",\"pid\":3648}]}"));
    }

    @Test
    void furtherProcessesGoOnTabIndentedLines() {
        assertEquals("drogo (foo) stop/pre-stop, process 6312\n\tpre-stop process 8609\n", instance(
                "{\"job\":\"drogo\",\"instance\":\"foo\",\"goal\":\"stop\",\"state\":\"pre-stop\",\"processes\":"
                + "[{\"process\":\"main\",\"pid\":6312},{\"process\":\"pre-stop\",\"pid\":8609}]}"));
    }

    @Test
    void aHelperRunningAloneIsNamedInParentheses() {
        assertEquals("foo start/post-start, (post-start) process 1357\n", instance(
                "{\"job\":\"foo\",\"instance\":\"\",\"goal\":\"start\",\"state\":\"post-start\","
                + "\"processes\":[{\"process\":\"post-start\",\"pid\":1357}]}"));
        assertEquals("foo start/pre-start, process 99\n", instance(
                "{\"job\":\"foo\",\"instance\":\"\",\"goal\":\"start\",\"state\":\"pre-start\","
                + "\"processes\":[{\"process\":\"pre-start\",\"pid\":99}]}"));
    }

    private static String job(String json) {
        StringBuilder out = new StringBuilder();
        StatusFormat.job(Json.parseObject(json), out);
        return out.toString();
    }

    @Test
    void notesFollowAJobsInstancesOnTabIndentedLines() {
        // after every instance, in the reply's order; after stop/waiting for a job without instances.
        assertEquals("web (a) start/running, process 10\nweb (b) start/running, process 11\n"
                + "\tlistening tcp 127.0.0.1:8080\n\tpaused: over 10 triggers in 1 s\n", job(
                "{\"name\":\"web\",\"instances\":["
                + "{\"job\":\"web\",\"instance\":\"a\",\"goal\":\"start\",\"state\":\"running\","
                + "\"processes\":[{\"process\":\"main\",\"pid\":10}]},"
                + "{\"job\":\"web\",\"instance\":\"b\",\"goal\":\"start\",\"state\":\"running\","
                + "\"processes\":[{\"process\":\"main\",\"pid\":11}]}],"
                + "\"notes\":[\"listening tcp 127.0.0.1:8080\",\"paused: over 10 triggers in 1 s\"]}"));
        assertEquals("web stop/waiting\n\tlistening tcp 127.0.0.1:8080\n",
                job("{\"name\":\"web\",\"instances\":[],\"notes\":[\"listening tcp 127.0.0.1:8080\"]}"));
    }

    @Test
    void theInstanceValuesSelectedIsOneLineWithTheJobsNotesUnderIt() {
        // status web PORT=8002: the job object holds that instance only; its notes still follow.
        assertEquals("web (8002) start/running, process 4152\n\tlistening tcp 127.0.0.1:8002\n", job(
                "{\"name\":\"web\",\"instances\":["
                + "{\"job\":\"web\",\"instance\":\"8002\",\"goal\":\"start\",\"state\":\"running\","
                + "\"processes\":[{\"process\":\"main\",\"pid\":4152}]}],"
                + "\"notes\":[\"listening tcp 127.0.0.1:8002\"]}"));
    }

    @Test
    void noNotesOrAnOlderDaemonsReplyAddNoLines() {
        // an empty list, or no field at all, adds nothing.
        assertEquals("web stop/waiting\n", job("{\"name\":\"web\",\"instances\":[],\"notes\":[]}"));
        assertEquals("web stop/waiting\n", job("{\"name\":\"web\",\"instances\":[]}"));
    }

    @Test
    void aJobWithoutInstancesIsStopWaiting() {
        StringBuilder out = new StringBuilder();
        StatusFormat.job(Map.of("name", "foo", "instances", java.util.List.of()), out);
        assertEquals("foo stop/waiting\n", out.toString());
    }
}
