package org.upshot.ctl;

/** The {@code --help} text. */
final class Usage {

    private Usage() {
    }

    static String text(String program) {
        return "Usage: " + program + " [OPTION]... COMMAND [ARG]...\n"
                + "Control the Upshot init daemon.\n\n"
                + "Commands:\n"
                + "  start JOB [KEY=VALUE]...     start a job and wait until it is running (or finished)\n"
                + "  stop JOB [KEY=VALUE]...      stop a job and wait until it is stopped\n"
                + "  restart JOB [KEY=VALUE]...   restart a running job\n"
                + "  reload JOB [KEY=VALUE]...    send the job its reload signal\n"
                + "  status JOB [KEY=VALUE]...    show a job's instances, or the one the values name\n"
                + "  list                         show every job\n"
                + "  emit EVENT [KEY=VALUE]...    emit an event and wait until it is handled\n"
                + "  emit -                       emit the events on stdin in order, one a line:\n"
                + "                               EVENT<tab>KEY=VALUE<tab>... (one connection)\n"
                + "  reload-configuration         re-read the job files\n"
                + "  check-config [JOB]           report conditions no event can satisfy\n"
                + "  show-config [-e] [JOB]       show the jobs' start and stop conditions\n"
                + "  log-priority [LEVEL]         show or set the daemon's log priority\n"
                + "  version                      show the daemon's version\n"
                + "  events [--json]              follow events live, one per line (--json: as sent)\n"
                + "  graph [--format dot|svg] [-o FILE] [JOB]...\n"
                + "                               jobs and events as a graph (named jobs and neighbours)\n"
                + "  log JOB [INST] [-f] [-n N]   print the job's console log (-n: its last N lines;\n"
                + "                               -f: then follow it until Ctrl-C)\n"
                + "  boot-time                    how long the boot took, and the slowest jobs\n"
                + "  boot-chart [-o FILE.svg]     the boot as an SVG timeline (stdout without -o)\n"
                + "  journal                      the daemon's journal of state changes and events\n"
                + "  sources                      the event sources: running or disabled, events taken\n"
                + "                               and dropped over their limit\n"
                + "  set-env VAR[=VALUE]...       set job environment (-r keeps existing values)\n"
                + "  get-env VAR                  print one job environment variable\n"
                + "  unset-env VAR...             remove job environment variables\n"
                + "  list-env                     print the job environment\n"
                + "  reset-env                    restore the default job environment\n"
                + "  reboot | halt | poweroff     stop every job, then restart, halt or power off\n"
                + "                               (as the init of a namespace: end it)\n"
                + "  reexec                       replace the daemon's program in place, keeping every\n"
                + "                               job and socket; returns once the new one answers\n\n"
                + "Options:\n"
                + "  --socket PATH     control socket (else $UPSHOT_SOCKET, else the default)\n"
                + "  --system          talk to the system daemon (/run/upshot/control.sock)\n"
                + "  --session         talk to this user's session daemon\n"
                + "  -n, --no-wait     return once the request is accepted\n"
                + "  -g, --global      act on the global job environment\n"
                + "  -q, --quiet       print nothing on success\n"
                + "  -o, --output FILE write boot-chart's SVG to FILE\n"
                + "  -n N, --lines N   log: only the last N lines\n"
                + "  --json            print the daemon's reply as one JSON document\n"
                + "  -h, --help        show this help\n\n"
                + "Exit status: 0 success, 1 failure, 2 usage error.\n";
    }
}
