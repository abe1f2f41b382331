/**
 * The job state machine's pure part: {@link org.upshot.engine.internal.state.JobTransitions}.
 *
 * <h2>Two axes</h2>
 * An instance has a <em>goal</em> ({@code start}, {@code stop}, briefly {@code respawn})
 * and a <em>state</em>. Commands and events change only the goal; the state then walks
 * toward it one step at a time. Keeping them apart is what lets a stop requested in the
 * middle of a start finish the step in progress and turn round cleanly, and lets
 * {@code initctl status} print {@code start/pre-start} or {@code stop/killed}, Upstart's
 * vocabulary.
 *
 * <h2>The table</h2>
 * Upstart 1.13's {@code job_next_state}, over Upshot's states (Upstart's transient
 * {@code *-ing} states such as {@code pre-starting} are folded into the state they lead
 * to; {@code security} is Upstart's {@code security-spawning} + {@code security}):
 * <pre>
 * state       goal=stop    goal=start   goal=respawn
 * waiting     (invalid)    starting     (invalid)
 * starting    stopping     security     (invalid)
 * security    stopping     pre-start    (invalid)
 * pre-start   stopping     spawned      (invalid)
 * spawned     stopping     post-start   stopping, goal back to start
 * post-start  stopping     running      stopping, goal back to start
 * running     pre-stop     stopping     stopping, goal back to start
 * pre-stop    stopping     running      stopping, goal back to start
 * stopping    killed       killed       (invalid)
 * killed      post-stop    post-stop    (invalid)
 * post-stop   waiting      starting     (invalid)
 * </pre>
 * The golden copy is {@code src/test/resources/state/transitions.tsv}; a test checks
 * every pair against it.
 *
 * <h2>What the engine's entry actions must add</h2>
 * The function is pure, so decisions that need the instance are the entry action's
 * (one exhaustive {@code enter(from, to)} switch in {@code Job}, which checks its
 * predecessor against {@link org.upshot.engine.internal.state.JobTransitions#predecessors};
 * every state change, without exception, is {@code next(state, goal)}, settled in a
 * loop, never by recursion):
 * <ul>
 *   <li>{@code security}, {@code pre-start}, {@code post-start}, {@code post-stop}:
 *       run the process if the job defines one, else settle on at once.</li>
 *   <li>{@code running} with goal {@code stop} goes to {@code pre-stop}; entering
 *       {@code pre-stop} settles straight on to {@code stopping} unless the main process
 *       is alive and a pre-stop process is defined (Upstart skips pre-stop then).</li>
 *   <li>{@code respawn} is the goal whenever the main process ended and is to be
 *       respawned (in {@code spawned}, {@code post-start}, {@code running} or
 *       {@code pre-stop}); the instance leaves by the table for {@code stopping} (at once,
 *       or when a running post-start or pre-stop helper ends) and takes
 *       {@link org.upshot.engine.internal.state.JobTransitions#goalAfter}, {@code start},
 *       as its goal. Upstart kept the goal {@code start} in {@code running}; the row
 *       {@code running start → stopping} stays for fidelity, but the engine no longer
 *       needs it.</li>
 * </ul>
 * An invalid pair throws {@link java.lang.IllegalStateException} naming state and goal;
 * the engine adds the job name, logs it and goes on (PID 1 never exits).
 */
package org.upshot.engine.internal.state;
