package org.upshot.launcher;

import org.osgi.framework.Bundle;

/** How the launcher names bundles and their states in its log. */
final class Bundles {
    private Bundles() {
    }

    /** {@code org.upshot.source-files 0.1.0 [7]}, or the location of a bundle without a name. */
    static String describe(Bundle bundle) {
        String name = bundle.getSymbolicName();
        return (name == null ? bundle.getLocation() : name + " " + bundle.getVersion())
                + " [" + bundle.getBundleId() + "]";
    }

    /** The OSGi name of a bundle state ({@code ACTIVE}, {@code RESOLVED}...). */
    static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "STATE-" + state;
        };
    }

    /** True for a fragment, which is never started. */
    static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders("").get(org.osgi.framework.Constants.FRAGMENT_HOST) != null;
    }
}
