/**
 * Event matching: which events satisfy a job's {@code start on} and {@code stop on}.
 * Pure code on plain objects; the engine thread drives it.
 *
 * <h2>Pieces, bottom up</h2>
 * <ul>
 *   <li>{@link org.upshot.engine.internal.match.Environ}: {@code KEY=VALUE} tables and
 *       Upstart's {@code $VAR} / {@code ${VAR:-default}} expansion, used for patterns,
 *       {@code instance} names and the job environment.</li>
 *   <li>{@link org.upshot.engine.internal.match.Glob}: {@code fnmatch(3)} with flags 0,
 *       compiled once, linear-time matching (no regex, no exponential backtracking).</li>
 *   <li>{@link org.upshot.engine.internal.match.EventMatcher}: one
 *       {@link org.upshot.event.EventExpression.Match} against one event: exact name,
 *       positional values by position, {@code KEY=PAT}, {@code KEY!=PAT} (absent key
 *       never matches), patterns {@code $}-expanded against the instance environment
 *       for {@code stop on} and nothing for {@code start on}.</li>
 *   <li>{@link org.upshot.engine.internal.match.Condition}: the live copy of an
 *       expression tree. Leaves latch the first matching event and hold it;
 *       {@code and}/{@code or} are recomputed bottom-up; the caller acts on a firing
 *       condition, reads {@code matchedEvents()} for the environment and
 *       {@code UPSTART_EVENTS}, then resets it.</li>
 *   <li>{@link org.upshot.engine.internal.match.EventIndex}: event name (and literal
 *       first value) to subscribers, so an event touches only interested jobs.</li>
 * </ul>
 *
 * <h2>How the engine uses it</h2>
 * <pre>{@code
 * // at configuration load, per job class
 * Condition<Queued> startOn = Condition.of(jobClass.startOn().get(), Queued::event, blockers);
 * index.add(jobClass, jobClass.startOn().orElse(null), jobClass.stopOn().orElse(null));
 *
 * // per event, on the engine thread: stop conditions of instances first, then starts
 * for (JobClass c : index.subscribers(queued.event())) {
 *     for (Instance i : instancesOf(c)) {
 *         if (i.stopOn.handle(queued, i.env)) { ...stop i...; i.stopOn.reset(); }
 *     }
 * }
 * for (JobClass c : index.subscribers(queued.event())) {
 *     Condition<Queued> startOn = startOnOf(c);
 *     if (startOn.handle(queued)) {
 *         List<String> env = ...; startOn.addEnvironment(env, "UPSTART_EVENTS");
 *         ...block startOn.matchedEvents() on the job, start it...
 *         startOn.reset();
 *     }
 * }
 * }</pre>
 *
 * <h2>Blocking</h2>
 * Upstart counts, per event, how many holders keep it from finishing. A leaf that
 * takes an event holds it until the condition resets; a fired job then holds the
 * matched events until it reaches its goal. The
 * {@link org.upshot.engine.internal.match.Condition.Holder} given to a condition hears
 * every hold and release, so the queue keeps the count for each occurrence.
 *
 * <h2>Threading</h2>
 * {@code Environ}, {@code Glob} and {@code EventMatcher} are immutable and thread-safe.
 * {@code Condition} and {@code EventIndex} are mutable and owned by the engine thread.
 */
package org.upshot.engine.internal.match;
