/**
 * Event matching: which events satisfy a job's {@code start on} and {@code stop on}.
 * Pure code on plain objects; the engine thread drives it.
 *
 * <h2>Pieces, bottom up</h2>
 * <ul>
 *   <li>{@link org.upshot.engine.internal.match.Environ}: {@code KEY=VALUE} tables and
 *       Upstart's {@code $VAR} / {@code ${VAR:-default}} expansion, used for patterns,
 *       {@code instance} names and the job environment.</li>
 *   <li>{@link org.upshot.event.Glob}: {@code fnmatch(3)} with flags 0,
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
 *   <li>{@link org.upshot.engine.internal.match.EventIndex}: event name (and one
 *       variable's exact value, or the literal prefix of its glob) to subscribers, so an
 *       event touches only interested jobs.</li>
 * </ul>
 *
 * <h2>How the engine uses it</h2>
 * <pre>{@code
 * // configuration load: one start-on condition and subscription per job class
 * Condition<Queued> startOn = Condition.of(cls.startOn().get(), Queued::event, blockers);
 * starts.add(cls, startOn.matchers());                    // EventIndex<JobClass>
 * // instance start: its own copy of the class's stop on, filed with its environment
 * instance.stopOn = classStopOn.copy();
 * stops.add(instance, instance.stopOn.matchers(), instance.env);  // EventIndex<Instance>
 *
 * // per event, on the engine thread: stops first (Upstart's order), then starts
 * for (Instance i : stops.subscribers(queued.event())) {
 *     if (i.stopOn.handle(queued, i.env)) {
 *         i.stopOn.addEnvironment(stopEnv, "UPSTART_STOP_EVENTS"); ...stop i...
 *         i.stopOn.reset();
 *     }
 * }
 * for (JobClass c : starts.subscribers(queued.event())) {
 *     Condition<Queued> startOn = startOnOf(c);
 *     if (startOn.handle(queued)) {
 *         startOn.addEnvironment(env, "UPSTART_EVENTS");
 *         ...block startOn.matchedEvents() on the job, start it...
 *         startOn.reset();
 *     }
 * }
 * }</pre>
 * Filing start and stop conditions apart means an event tests only the conditions that
 * name it; filing an instance's stop on with its environment lets {@code stopping $JOB}
 * or {@code IFACE=$IFACE} narrow like a literal. Both matter: {@code bench/MatchBench}
 * measures the index at 10 to 30 times a scan of every job at 1,000 jobs.
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
