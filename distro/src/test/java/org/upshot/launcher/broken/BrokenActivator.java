package org.upshot.launcher.broken;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** A plugin whose activation throws: the daemon must log it and go on. */
public final class BrokenActivator implements BundleActivator {
    /** The message the ITs look for in the daemon's log. */
    public static final String MESSAGE = "deliberately broken plugin";

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException(MESSAGE);
    }

    @Override
    public void stop(BundleContext context) {
    }
}
