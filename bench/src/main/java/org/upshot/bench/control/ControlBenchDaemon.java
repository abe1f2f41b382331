package org.upshot.bench.control;

import org.upshot.process.internal.HandedDescriptors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.upshot.daemon.DaemonSettings.ControlLimits;
import org.upshot.daemon.DaemonSettings;
import org.upshot.engine.internal.config.ConfigurationLoader;
import org.upshot.engine.internal.control.ControlServer;
import org.upshot.engine.internal.job.Engine;
import org.upshot.engine.internal.job.EngineControl;
import org.upshot.engine.internal.job.EngineSettings;
import org.upshot.engine.internal.parse.Diagnostic;
import org.upshot.engine.internal.parse.StanzaLookup;
import org.upshot.process.internal.NativeHost;
import org.upshot.process.internal.PosixProcessLauncher;

/**
 * A warm daemon for the control benchmarks: the real engine, process launcher and
 * control server, without Felix (so that the numbers are the control path's own).
 *
 * <pre>java -cp ... org.upshot.bench.control.ControlBenchDaemon CONFDIR RUNTIMEDIR</pre>
 *
 * Prints {@code ready SOCKET} once serving, and runs until stdin closes.
 */
public final class ControlBenchDaemon {

    private ControlBenchDaemon() {
    }

    public static void main(String[] args) throws Exception {
        Path confdir = Path.of(args[0]);
        Path runtime = Files.createDirectories(Path.of(args[1]));
        Path logdir = Files.createDirectories(runtime.resolve("log"));
        Map<String, String> daemonEnv = System.getenv();
        EngineSettings settings = EngineSettings.of(DaemonSettings.builder(DaemonSettings.Mode.SESSION,
                DaemonSettings.Facts.current(), runtime).runtimeDir(runtime).logDir(logdir).build(), daemonEnv,
                Optional.empty());
        NativeHost host = new NativeHost();
        host.becomeChildSubreaper();
        Engine engine = new Engine(new PosixProcessLauncher(), settings, host, new HandedDescriptors());
        ConfigurationLoader loader = new ConfigurationLoader(List.of(confdir), StanzaLookup.NONE);
        EngineControl control = new EngineControl(engine, () -> {
            engine.apply(loader.reload());
            return engine.ask(() -> null);
        }, List::of, () -> loader.problems().stream().map(Diagnostic::render).toList());
        engine.start();
        engine.configure(loader.load().jobs().values());
        engine.ask(() -> null).toCompletableFuture().get(30, TimeUnit.SECONDS);
        try (ControlServer server = new ControlServer(settings.controlSocket(), false, control, "bench",
                logdir, false, ControlLimits.DEFAULT, new HandedDescriptors())) {
            System.out.println("ready " + server.socketPath());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Runs until the harness closes stdin.
            }
            engine.stopAll().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            engine.close();
        }
    }
}
