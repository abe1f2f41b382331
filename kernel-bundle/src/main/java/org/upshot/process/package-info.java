/**
 * The native process layer: the only code in Upshot that creates, signals and
 * reaps processes or touches raw file descriptors.
 *
 * <p>Processes are made with {@code posix_spawn} (through jnr), never with
 * {@code java.lang.ProcessBuilder}, whose own reaper would race ours. One reaper
 * thread blocks in {@code waitpid(-1)} and reports every exit, of children and of
 * orphans re-parented to us as PID 1 or as a child subreaper, to the registered
 * {@link org.upshot.process.ExitListener}s. Attributes that {@code posix_spawn}
 * cannot set (umask, nice, I/O class, OOM score, rlimits, chroot, user and group) are applied
 * in the child before the final {@code exec}.
 *
 * <p>Failures surface as {@link org.upshot.process.PosixException}, naming the
 * call or set-up step and the errno.
 *
 * <p>Services: {@link org.upshot.process.ProcessLauncher},
 * {@link org.upshot.process.Host} and {@link org.upshot.process.Cgroups}, each a DS
 * component of the kernel bundle. Outside a framework (plain JUnit in other modules)
 * construct {@code org.upshot.process.internal.PosixProcessLauncher},
 * {@code NativeHost} and {@code CgroupTree} directly; jnr-posix (and through it jnr-ffi)
 * must then be on the test class path. How the implementation works is told in
 * {@code org.upshot.process.internal}'s package documentation.
 *
 * <p>History: 1.1 added {@link org.upshot.process.ProcessExit#stopped()} (the reaper
 * reports stops), {@link org.upshot.process.Host#children()},
 * {@link org.upshot.process.Host#reboot(int)} and {@link org.upshot.process.Cgroups}.
 * 1.2 added {@link org.upshot.process.Stdio.Connection} (a connection on stdin and stdout, inetd-style) and {@link org.upshot.process.Host#parentOf(int)}.
 * 1.3 added {@link org.upshot.process.Signals#ABRT} (a watchdog's kill),
 * {@link org.upshot.process.Cgroups#apply} (a job's {@code cgroup} settings) and
 * {@link org.upshot.process.ProcessAttributes#idleIoClass()}.
 */
@Export
@Version("1.4.0")
package org.upshot.process;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
