/**
 * The engine: jobs, their instances and the thread that owns them.
 *
 * <h2>One thread</h2>
 * {@link org.upshot.engine.internal.job.Engine} runs one thread, {@code upshot-engine},
 * which alone touches the job registry, every {@code Job} instance, the event queue and
 * the pid table. Everything else talks to it through one queue of messages, the sealed
 * {@code EngineInput} family: a process exited or stopped (from the reaper thread), an
 * event was emitted (sources, control server, signals), a control request (start, stop,
 * status... as a closure run on the engine thread), a kill timeout or a daemon check
 * fired (timer thread), readiness reached (an extension's stage), configuration changed
 * (the config watcher), a source bound or unbound (DS). After each message the event
 * queue is drained until a pass makes no progress. Nothing inside takes a lock, so every
 * behaviour is deterministic for a given order of messages. A message that throws is
 * logged and dropped; the loop goes on, so one broken job never stops the others.
 *
 * <h2>Two axes</h2>
 * An instance has a goal ({@code start}, {@code stop}, briefly {@code respawn}) and a
 * state ({@code waiting → starting → security → pre-start → spawned → post-start →
 * running → pre-stop → stopping → killed → post-stop → waiting}). A request or an event
 * only changes the goal; the states follow. The next state comes from the pure table
 * {@link org.upshot.engine.internal.state.JobTransitions#next}; the entry action of each
 * state lives in one switch ({@code Job.enter}), which returns either the state itself
 * (wait here: for a process, an event, a signal) or the next one, and {@code changeState}
 * loops until a state waits — never recursion. Only the rest states ({@code waiting},
 * {@code running}) move at once on a goal change; any other state picks the new goal up
 * when its step ends, which is what gives Upstart's guarantees: a stop during pre-start
 * lets pre-start finish, skips main, still runs post-stop; post-stop runs once for every
 * start; pre-stop runs only when a live main process is asked to stop, and a start while
 * it runs returns the job to running; {@code killed} waits for the real exit, sending
 * the {@code kill signal} to the process group and SIGKILL after {@code kill timeout}.
 * Goal and state changes are logged at DEBUG as {@code JOB (INSTANCE) goal changed from
 * X to Y} and {@code ... state changed from X to Y}.
 *
 * <h2>Blocking</h2>
 * Events and waiting control requests are {@code Blocked}: a job that an event started or
 * stopped holds it until the job is at rest (a service running, a task finished, or
 * stopped), then releases it with its failure flag. The job itself waits for its own
 * {@code starting} and {@code stopping} events to complete, so jobs that start on
 * {@code starting X} are up before X goes on, and jobs that stop on {@code stopping X}
 * are fully stopped before X is killed. A stuck job holds only the events it was given.
 *
 * <h2>Matching</h2>
 * Start conditions live per job definition ({@code JobEntry}), stop conditions per
 * instance (expanded against its environment), both as live
 * {@link org.upshot.engine.internal.match.Condition}s over queued events, found through
 * an {@link org.upshot.engine.internal.match.EventIndex} by event name: no scan of every
 * job per event. Stop conditions are offered each event before start conditions.
 * Extension stanzas' conditions are or-ed into the job's own.
 *
 * <h2>Processes</h2>
 * {@code ProcessSetup} turns a definition into a {@link org.upshot.process.SpawnRequest}:
 * {@code exec} with shell metacharacters and every {@code script} run as
 * {@code /bin/sh -e -c}; the environment is the job table (PATH, TERM), {@code env}
 * stanzas, extension variables, the start events' or request's variables with
 * {@code UPSTART_EVENTS}, then {@code UPSTART_JOB}, {@code UPSTART_INSTANCE} and
 * {@code UPSHOT_SOCKET}; console, attributes and inherited descriptors (with
 * {@code LISTEN_FDS}, {@code LISTEN_PID}, {@code UPSTART_FDS}) come from the stanzas.
 * The engine thread builds each request and hands it to a small pool ({@code SpawnPool}),
 * so it never waits in {@code posix_spawn}; the pid (or the failure) comes back as a
 * message, and the state that asked waits for it as for a running process: a stop while
 * main is being spawned is acted on once its pid is known. Exits come back through the
 * reaper as messages, routed by a pid table; the pool makes sure a spawn's result is
 * queued before its process's exit, so no exit is taken for an orphan's.
 * {@code JobCgroups} gives forking daemons and jobs with {@code cgroup} settings a cgroup
 * per run; {@code DaemonTracker} follows {@code expect fork}/{@code daemon} through it
 * (exact), or the child list when no cgroup is writable (see its Javadoc). Settings the
 * machine does not allow are reported once per job.
 *
 * <h2>Configuration</h2>
 * A changed or deleted definition waits until its last instance is at rest: running
 * instances keep the definition they started with.
 */
package org.upshot.engine.internal.job;
