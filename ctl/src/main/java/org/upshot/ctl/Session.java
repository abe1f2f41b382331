package org.upshot.ctl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.upshot.control.Command;
import org.upshot.control.Json;
import org.upshot.control.Protocol;

/** One command: builds its request, talks to the daemon, prints the reply Upstart's way. */
final class Session {

    private final Initctl ctl;
    private final Initctl.Options options;
    private final Command command;
    /** The command as typed: a client view such as {@code boot-chart} for {@link Command#JOURNAL}. */
    private final String word;
    private final List<String> words;
    private final StringBuilder text = new StringBuilder(128);
    private boolean levelGiven;
    /** How long {@code reexec} waits for the new program to answer. */
    private static final int REEXEC_WAIT_SECONDS = 60;

    Session(Initctl ctl, Command command, String word, List<String> words) {
        this.ctl = ctl;
        this.options = ctl.options();
        this.command = command;
        this.word = word;
        this.words = words;
    }

    /** The request the command line asks for; usage errors and refused arguments surface here. */
    Map<String, Object> request() {
        Map<String, Object> request = Protocol.request(1, command);
        build(request);
        return request;
    }

    int run() {
        Map<String, Object> request = request();
        ControlClient client = ctl.connect();
        try {
            client.send(request);
            Map<String, Object> reply = client.receive();
            if (command == Command.REEXEC && (reply == null || Boolean.TRUE.equals(reply.get(Protocol.F_OK)))) {
                return awaitNewProgram(client);
            }
            if (reply == null) {
                throw new Initctl.Failure("the daemon closed the connection without replying");
            }
            boolean ok = Boolean.TRUE.equals(reply.get(Protocol.F_OK));
            // events --json prints the event lines only, as the daemon sent them
            if (options.json && command != Command.EVENTS) {
                ctl.out().println(Json.write(reply));
            }
            if (!ok) {
                throw new Initctl.Failure(String.valueOf(reply.get(Protocol.F_MESSAGE)));
            }
            int status = command == Command.EVENTS ? follow(client)
                    : command == Command.LOG ? log(reply) : render(reply);
            if (!options.quiet && !options.json) {
                ctl.out().print(text);
            }
            return status;
        } catch (IOException e) {
            throw new Initctl.Failure("lost the connection to the daemon: " + e.getMessage());
        } catch (InterruptedException e) {
            return Initctl.EXIT_FAILURE;
        } finally {
            try {
                client.close();
            } catch (IOException e) {
                // The reply is in; nothing left to lose.
            }
        }
    }

    /**
     * {@code reexec} was accepted: the exec closes this connection, and the new program
     * answers on the same socket (clients wait in its backlog meanwhile). Returns once it
     * has answered; gives up after {@value #REEXEC_WAIT_SECONDS} s.
     */
    private int awaitNewProgram(ControlClient old) throws IOException {
        Thread giveUp = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(REEXEC_WAIT_SECONDS));
            } catch (InterruptedException answered) {
                return;
            }
            ctl.err().println("initctl: the daemon did not answer within " + REEXEC_WAIT_SECONDS
                    + " s of its re-exec; see its log");
            Runtime.getRuntime().halt(Initctl.EXIT_FAILURE);
        }, "reexec-deadline");
        giveUp.setDaemon(true);
        giveUp.start();
        while (old.receiveLine() != null) {
            // nothing more comes on a re-exec's connection: it ends with the exec
        }
        try (ControlClient fresh = ctl.connect()) {
            fresh.send(Protocol.request(2, Command.VERSION));
            Map<String, Object> reply = fresh.receive();
            giveUp.interrupt();
            if (reply == null || !Boolean.TRUE.equals(reply.get(Protocol.F_OK))) {
                throw new Initctl.Failure("the re-executed daemon did not answer; see its log");
            }
            return Initctl.EXIT_OK;
        }
    }

    /** Fills the request from the words after the command; usage errors surface here. */
    private void build(Map<String, Object> request) {
        switch (command) {
            case START: case STOP: case RESTART: case RELOAD:
                jobRequest(request);
                break;
            case STATUS:
                // inside a job, a bare status is that job's, as a bare start or stop is
                String own = ctl.environment().get("UPSTART_JOB");
                request.put(Protocol.F_JOB, words.isEmpty() && own != null && !own.isEmpty() ? own
                        : required("missing job name"));
                // Values name one instance through the job's instance stanza; none: every instance.
                List<Object> env = pairs();
                if (!env.isEmpty()) {
                    request.put(Protocol.F_ENV, env);
                }
                break;
            case LOG:
                request.put(Protocol.F_JOB, required("missing job name"));
                if (!words.isEmpty()) {
                    request.put(Protocol.F_INSTANCE, words.remove(0));
                }
                noMoreWords();
                break;
            case EMIT:
                request.put(Protocol.F_EVENT, required("missing event name"));
                request.put(Protocol.F_ENV, pairs());
                request.put(Protocol.F_WAIT, Boolean.valueOf(!options.noWait));
                break;
            case SHOW_CONFIG: case CHECK_CONFIG:
                if (!words.isEmpty()) {
                    request.put(Protocol.F_JOB, words.remove(0));
                }
                if (options.ignoreEvents != null) {
                    request.put("ignore", split(options.ignoreEvents));
                }
                noMoreWords();
                break;
            case LOG_PRIORITY:
                levelGiven = !words.isEmpty();
                if (levelGiven) {
                    request.put(Protocol.F_LEVEL, words.remove(0));
                }
                noMoreWords();
                break;
            case SET_ENV: case UNSET_ENV: case GET_ENV:
                if (words.isEmpty()) {
                    throw new Initctl.UsageException("missing variable name");
                }
                envRequest(request);
                break;
            case LIST_ENV: case RESET_ENV:
                noMoreWords();
                envRequest(request);
                break;
            default:
                noMoreWords();
        }
    }

    private void jobRequest(Map<String, Object> request) {
        String job;
        boolean wait = !options.noWait;
        if (words.isEmpty()) {
            // Inside a job, a bare start/stop acts on that job and never waits (Upstart's
            // way for pre-stop to cancel a stop); anywhere else it is a usage error.
            job = ctl.environment().get("UPSTART_JOB");
            if (job == null || job.isEmpty() || command == Command.RELOAD) {
                throw new Initctl.UsageException("missing job name");
            }
            wait = false;
        } else {
            job = words.remove(0);
        }
        request.put(Protocol.F_JOB, job);
        request.put(Protocol.F_ENV, pairs());
        request.put(Protocol.F_WAIT, Boolean.valueOf(wait));
    }

    /** set-env and friends act on the calling job's table unless {@code --global}. */
    private void envRequest(Map<String, Object> request) {
        if (!options.global) {
            String job = ctl.environment().get("UPSTART_JOB");
            if (job != null && !job.isEmpty()) {
                request.put(Protocol.F_JOB, job);
                String instance = ctl.environment().get("UPSTART_INSTANCE");
                request.put(Protocol.F_INSTANCE, instance == null ? "" : instance);
            }
        }
        request.put("args", new ArrayList<Object>(words));
        if (options.retain) {
            request.put(Protocol.F_RETAIN, Boolean.TRUE);
        }
        words.clear();
    }

    private String required(String missing) {
        if (words.isEmpty()) {
            throw new Initctl.UsageException(missing);
        }
        return words.remove(0);
    }

    private List<Object> pairs() {
        List<Object> env = new ArrayList<>();
        for (String word : words) {
            if (word.indexOf('=') <= 0) {
                throw new Initctl.Failure("Env must be KEY=VALUE pairs");
            }
            env.add(word);
        }
        words.clear();
        return env;
    }

    private void noMoreWords() {
        if (!words.isEmpty()) {
            throw new Initctl.UsageException("unexpected argument: " + words.get(0));
        }
    }

    private static List<Object> split(String list) {
        List<Object> out = new ArrayList<>();
        int start = 0;
        while (start <= list.length()) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? list.length() : comma;
            String item = list.substring(start, end).trim();
            if (!item.isEmpty()) {
                out.add(item);
            }
            start = end + 1;
        }
        return out;
    }

    private int render(Map<String, Object> reply) {
        switch (command) {
            case START: case STOP: case RESTART:
                StatusFormat.instance(StatusFormat.asMap(reply.get(Protocol.F_INSTANCE)), text);
                return Initctl.EXIT_OK;
            case STATUS:
                StatusFormat.job(StatusFormat.asMap(reply.get(Protocol.F_JOB)), text);
                return Initctl.EXIT_OK;
            case LIST:
                for (Object job : (List<?>) reply.get("jobs")) {
                    StatusFormat.job(StatusFormat.asMap(job), text);
                }
                return Initctl.EXIT_OK;
            case SHOW_CONFIG:
                ConfigFormat.show((List<?>) reply.get("jobs"), options.enumerate, text);
                return Initctl.EXIT_OK;
            case CHECK_CONFIG:
                // files that do not parse, as the offline check prints them, then conditions
                List<?> files = reply.get("files") instanceof List<?> listed ? listed : List.of();
                files.forEach(file -> text.append((String) file).append('\n'));
                List<?> problems = (List<?>) reply.get("jobs");
                ConfigFormat.check(problems, text);
                return problems.isEmpty() && files.isEmpty() ? Initctl.EXIT_OK : Initctl.EXIT_FAILURE;
            case LOG_PRIORITY:
                if (!levelGiven) {
                    text.append(reply.get(Protocol.F_LEVEL)).append('\n');
                }
                return Initctl.EXIT_OK;
            case VERSION:
                text.append(reply.get("version")).append('\n');
                return Initctl.EXIT_OK;
            case JOURNAL:
                return journal(reply);
            case SOURCES:
                for (Object source : (List<?>) reply.get("sources")) {
                    source(StatusFormat.asMap(source));
                }
                return Initctl.EXIT_OK;
            case GET_ENV:
                for (Object value : (List<?>) reply.get(Protocol.F_ENV)) {
                    text.append((String) value).append('\n');
                }
                return Initctl.EXIT_OK;
            case LIST_ENV:
                List<String> sorted = new ArrayList<>();
                for (Object entry : (List<?>) reply.get(Protocol.F_ENV)) {
                    sorted.add((String) entry);
                }
                Collections.sort(sorted);
                for (String entry : sorted) {
                    text.append(entry).append('\n');
                }
                return Initctl.EXIT_OK;
            default:
                return Initctl.EXIT_OK;
        }
    }

    /** {@code NAME running, N events, M dropped (limit R/s, burst B) [BUNDLE]}; disabled ones say why. */
    private void source(Map<String, Object> source) {
        text.append(source.get("name")).append(' ').append(source.get("state"));
        if (source.get("reason") != null) {
            text.append(" (").append(source.get("reason")).append(')');
        }
        text.append(", ").append(source.get("events")).append(" events, ").append(source.get("dropped"))
                .append(" dropped (limit ").append(source.get("limit")).append("/s, burst ")
                .append(source.get("burst")).append(") [").append(source.get("bundle")).append("]\n");
    }

    /** {@code journal}, {@code boot-time}, {@code boot-chart [--output FILE]}. */
    private int journal(Map<String, Object> reply) {
        if (Initctl.BOOT_TIME.equals(word)) {
            BootTime.render(JournalView.boot(reply), text);
        } else if (Initctl.BOOT_CHART.equals(word)) {
            BootChart.render(JournalView.boot(reply), text);
            if (options.output != null) {
                try {
                    Files.writeString(Path.of(options.output), text);
                } catch (IOException e) {
                    throw new Initctl.Failure("cannot write " + options.output + ": " + e.getMessage());
                }
                text.setLength(0);
            }
        } else {
            JournalFormat.render(reply, text);
        }
        return Initctl.EXIT_OK;
    }

    /**
     * {@code events}: print each event as {@code name KEY=VALUE...} until the daemon goes;
     * with {@code --json}, each event line raw, as the protocol's event stream carries it.
     */
    private int follow(ControlClient client) throws IOException {
        String raw;
        while ((raw = client.receiveLine()) != null) {
            if (options.json) {
                ctl.out().println(raw);
                ctl.out().flush();
                continue;
            }
            Map<String, Object> message = Initctl.decode(raw);
            Map<String, Object> event = StatusFormat.asMap(message.get(Protocol.F_EVENT));
            StringBuilder line = new StringBuilder((String) event.get("name"));
            for (Object entry : (List<?>) event.get(Protocol.F_ENV)) {
                line.append(' ').append((String) entry);
            }
            ctl.out().println(line);
            ctl.out().flush();
        }
        return Initctl.EXIT_OK;
    }

    private int log(Map<String, Object> reply) throws IOException, InterruptedException {
        if (options.json) {
            return Initctl.EXIT_OK;
        }
        Path path = Path.of((String) reply.get("path"));
        try {
            Initctl.copyLog(path, options.follow, options.lines, ctl.out());
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new Initctl.Failure("No log for this job: " + path);
        }
        return Initctl.EXIT_OK;
    }
}
