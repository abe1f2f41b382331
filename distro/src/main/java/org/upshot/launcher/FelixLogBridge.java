package org.upshot.launcher;

import java.lang.System.Logger.Level;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Routes Felix's own log (resolver errors, listener exceptions) to the launcher's log
 * instead of stdout, naming the bundle concerned.
 */
final class FelixLogBridge extends org.apache.felix.framework.Logger {
    private static final System.Logger LOG = System.getLogger("org.upshot.felix");

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        String text = bundle == null ? msg : Bundles.describe(bundle) + ": " + msg;
        LOG.log(toLevel(level), text, throwable);
    }

    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        LOG.log(toLevel(level), msg, throwable);
    }

    private static Level toLevel(int felixLevel) {
        return switch (felixLevel) {
            case LOG_ERROR -> Level.ERROR;
            case LOG_WARNING -> Level.WARNING;
            case LOG_INFO -> Level.INFO;
            default -> Level.DEBUG;
        };
    }
}
