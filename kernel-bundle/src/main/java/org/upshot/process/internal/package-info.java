/**
 * The native process layer's implementation: libc through jnr-ffi, one reaper thread,
 * and a shell preamble for what {@code posix_spawn} cannot do.
 *
 * <h2>Spawning</h2>
 * {@link org.upshot.process.internal.PosixProcessLauncher} calls glibc's
 * {@code posix_spawn} directly ({@link org.upshot.process.internal.LibC}), not through
 * jnr-posix, which loses the error code and lacks the actions needed here. Every child
 * gets the same {@code posix_spawnattr_t}: {@code POSIX_SPAWN_SETSID} (a new session,
 * hence a new process group: pid == pgid == sid), an empty signal mask (the JVM blocks
 * some) and every signal 1-64 back to {@code SIG_DFL} (glibc would otherwise leave its
 * two internal signals ignored). The file actions ({@code FileActions}) put stdio in
 * place ({@code /dev/null}, the log file opened {@code O_WRONLY|O_CREAT|O_APPEND} in the
 * child, {@code /dev/console}), move inherited descriptors to 3, 4, ... by way of
 * numbers above all of them, close everything else with
 * {@code posix_spawn_file_actions_addclosefrom_np} (the JVM leaks about 33 descriptors
 * without close-on-exec) and change directory with {@code addchdir_np}. A command
 * without a slash is looked up in the <em>child's</em> {@code PATH} here, in Java, so a
 * missing command is ENOENT from {@code spawn} itself. glibc's spawn uses
 * {@code CLONE_VFORK}: it returns once the child has begun its exec, which is before
 * {@code /proc/PID/environ} and {@code cmdline} are filled in.
 *
 * <h2>The set-up preamble</h2>
 * umask, nice, the I/O class, OOM score, rlimits, joining a cgroup, chroot, user and group, an exact
 * {@code LISTEN_PID}, {@code WATCHDOG_PID} and stopping before exec cannot be expressed as spawn actions. A
 * request with any of them runs as
 * {@code /bin/sh -c PREAMBLE upshot-setup ARGV...}, where the preamble is generated
 * ({@code SetupScript}) from shell builtins and util-linux/coreutils tools, acts on
 * {@code $$} (the shell is the final process: it ends in {@code exec}) and runs in this
 * order: {@code umask}; {@code prlimit --pid $$} (before dropping privileges, which could
 * forbid raising a hard limit); writing {@code /proc/$$/oom_score_adj} (lowering needs
 * root); {@code renice} (likewise); {@code ionice -c 3} (the idle class, which anyone may
 * choose); writing {@code $$} to the cgroup's
 * {@code cgroup.procs} (so every later fork is counted); {@code LISTEN_PID=$$} and {@code WATCHDOG_PID=$$};
 * restoring {@code PWD} as the job gave it (dash exports one); checking that the
 * command exists; closing the report descriptor; {@code kill -STOP $$} if asked; and
 * finally {@code exec [chroot --userspec=U:G --groups=L ROOT [sh -c 'cd DIR...']]
 * [setpriv --reuid --regid --groups --] "$@"}. chroot comes last with the user switch
 * because nothing outside the new root can run after it, and it switches user itself
 * because setpriv would have to exist inside the root; a working directory other than
 * {@code /} inside a chroot therefore needs {@code /bin/sh} in the new root. Plain
 * spawns never pay for the shell.
 *
 * <p>Users and groups are resolved here, before spawning ({@code Identity}: getpwnam,
 * getgrnam, getgrouplist, outside any chroot), so an unknown name is a
 * {@code PosixException} named {@code setuid}/{@code setgid} that names it, and the
 * preamble only sees numbers. Values the kernel would refuse (nice outside -20..19, an
 * OOM score outside ±1000, a soft limit above the hard one, a cgroup without
 * {@code cgroup.procs}) are refused here too, with the step's name and EINVAL/ENOENT.
 *
 * <h2>Set-up failures</h2>
 * The launcher makes a pipe with {@code O_CLOEXEC}; its write end becomes the child's
 * descriptor {@code 3 + inheritedFds.size()}, right after the inherited ones. Each step's
 * stderr goes to that pipe; a failing step writes {@code !STEP ERRNO} and the child
 * exits 126. {@code spawn} reads the pipe to end of file, which comes when the preamble
 * closes it just before the final exec (or dies), and throws
 * {@code PosixException(STEP, errno, tool's message)}; when the preamble cannot know
 * the errno it is recovered from the tool's message ({@code ...: Operation not
 * permitted}). A missing command is {@code exec} with ENOENT, a missing root
 * {@code chroot} with ENOENT. The child that failed has been spawned: its exit (126)
 * still reaches the exit listeners, for a pid that {@code spawn} never returned. What
 * runs after the report descriptor is closed (chroot, setpriv, the chdir in the new
 * root, the exec itself) cannot report back; a failure there shows as exit status
 * 125-127 with the tool's message in the job's log. While reading, {@code spawn} blocks
 * for as long as the steps take (a few milliseconds; one {@code fork}+{@code exec} each
 * for prlimit, renice and ionice).
 *
 * <h2>Reaping</h2>
 * One daemon thread ({@code Reaper}, shared by every launcher in the JVM: two
 * {@code waitpid(-1)} loops would steal each other's statuses) blocks in
 * {@code waitpid(-1, &status, WUNTRACED)} and hands each status, exits of children and
 * adopted orphans and stops of children, to the listeners on its own thread. With no
 * children {@code waitpid} fails with ECHILD at once; the thread then parks until the
 * next spawn, or at most a second, because an orphan can be re-parented to PID 1 of a
 * namespace without any spawn of ours (a process that entered it with {@code nsenter}).
 *
 * <h2>Threading</h2>
 * The libc binding and the spawn attributes are immutable and shared. Spawns may run
 * on any thread concurrently; each builds its own file actions and string blocks, kept
 * reachable until {@code posix_spawn} returns because the child reads them from our
 * memory. {@code getpwnam} and friends use static buffers and are serialised.
 */
package org.upshot.process.internal;
