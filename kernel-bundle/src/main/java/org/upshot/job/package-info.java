/**
 * Read-only views of jobs, and the vocabulary of their lifecycle.
 *
 * <p>A job has two axes: the {@link org.upshot.job.JobGoal} says where it is
 * going (start or stop) and the {@link org.upshot.job.JobState} says where it is.
 * The words are Upstart's, so logs and {@code initctl status} read as they did
 * there: {@code apache start/running, process 3591}.
 *
 * <p>Views are immutable snapshots taken on the engine thread; holding one never
 * blocks the engine and never sees a half-made change.
 *
 * <p>History: 2.0 added {@link org.upshot.job.InstanceRef} and {@link org.upshot.job.InstanceChange}.
 */
@Export
@Version("2.0.0")
package org.upshot.job;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
