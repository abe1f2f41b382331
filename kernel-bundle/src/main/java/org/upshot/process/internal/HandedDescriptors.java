package org.upshot.process.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.upshot.daemon.DaemonSettings;
import org.upshot.daemon.DescriptorStore;

/**
 * {@link DescriptorStore}: the daemon before a re-exec named what it handed over in
 * {@link DaemonSettings#REEXEC_DESCRIPTORS} ({@link DescriptorStore#encode}d); a DS component, or built
 * directly in tests.
 */
@Component(service = DescriptorStore.class)
public final class HandedDescriptors implements DescriptorStore {

    private final Map<String, Integer> kept = new ConcurrentHashMap<>();
    private final Map<String, Integer> inherited = new HashMap<>();

    @Activate
    public HandedDescriptors(BundleContext context) {
        this(context.getProperty(DaemonSettings.REEXEC_DESCRIPTORS));
    }

    /** A store to which nothing was handed over: the daemon was started afresh. */
    public HandedDescriptors() {
        this((String) null);
    }

    /** @param handedOver what the program before handed over, {@link DescriptorStore#encode}d; null: nothing */
    public HandedDescriptors(String handedOver) {
        if (handedOver == null || handedOver.isEmpty()) {
            return;
        }
        for (String pair : handedOver.split(",")) {
            int equals = pair.lastIndexOf('=');
            if (equals > 0) {
                try {
                    inherited.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            Integer.parseInt(pair.substring(equals + 1)));
                } catch (NumberFormatException ignored) {
                    // not a pair encode wrote: nothing was handed over under it
                }
            }
        }
    }

    @Override
    public void keep(String name, int fd) {
        kept.put(name, fd);
    }

    @Override
    public void forget(String name) {
        kept.remove(name);
    }

    @Override
    public OptionalInt take(String name) {
        synchronized (inherited) {
            Integer fd = inherited.remove(name);
            return fd == null ? OptionalInt.empty() : OptionalInt.of(fd);
        }
    }

    @Override
    public Map<String, Integer> kept() {
        return Map.copyOf(kept);
    }

    @Override
    public List<Integer> takeUnclaimed() {
        synchronized (inherited) {
            List<Integer> left = List.copyOf(inherited.values());
            inherited.clear();
            return left;
        }
    }
}
