package org.upshot.launcher.faulty;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.upshot.spi.source.EventSource;

/**
 * A test plugin registering a {@link FaultySource} as an {@link EventSource} service,
 * which the engine binds as it binds every source; its bundle's {@value #FAULT} header
 * names the {@link FaultySource.Fault}.
 */
public final class FaultySourceActivator implements BundleActivator {
    /** The manifest header naming the fault. */
    public static final String FAULT = "Upshot-Test-Fault";

    @Override
    public void start(BundleContext context) {
        FaultySource.Fault fault = FaultySource.Fault.valueOf(context.getBundle().getHeaders().get(FAULT));
        context.registerService(EventSource.class, new FaultySource(fault), null);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
