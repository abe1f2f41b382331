package org.upshot.spi.stanza;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.upshot.event.EventExpression;

/**
 * What one extension stanza adds to a job. Every part is optional; build one with
 * {@link #builder(String)}. Immutable.
 */
public final class StanzaContribution {

    private final Optional<EventExpression> startOn;
    private final Optional<EventExpression> stopOn;
    private final Map<String, String> environment;
    private final List<InheritedDescriptor> descriptors;
    private final Optional<Readiness> readiness;
    private final Optional<String> instance;
    private final List<String> needs;
    private final String settings;

    private StanzaContribution(Builder builder) {
        this.startOn = builder.startOn;
        this.stopOn = builder.stopOn;
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(builder.environment));
        this.descriptors = List.copyOf(builder.descriptors);
        this.readiness = builder.readiness;
        this.instance = builder.instance;
        this.needs = List.copyOf(builder.needs);
        this.settings = builder.settings;
    }

    /** A contribution with nothing yet but {@code settings}, the stanza's canonical text. */
    public static Builder builder(String settings) {
        return new Builder(settings);
    }

    /** A contribution that only adds a start condition. */
    public static StanzaContribution startOn(EventExpression condition, String settings) {
        return builder(settings).startOn(condition).build();
    }

    /** A condition or-ed with the job's {@code start on}. */
    public Optional<EventExpression> startOn() {
        return startOn;
    }

    /** A condition or-ed with the job's {@code stop on}. */
    public Optional<EventExpression> stopOn() {
        return stopOn;
    }

    /** Variables added to the job's processes (after {@code env} stanzas), in order. */
    public Map<String, String> environment() {
        return environment;
    }

    /** Open descriptors handed to the main process at every spawn, numbered from 3 in order. */
    public List<InheritedDescriptor> descriptors() {
        return descriptors;
    }

    /** When the main process counts as ready, replacing {@code expect}. */
    public Optional<Readiness> readiness() {
        return readiness;
    }

    /**
     * An instance name template ({@code $REMOTE_ADDR-$REMOTE_PORT}), used when the job
     * has no {@code instance} stanza: a source that puts distinct values in each event
     * gets one instance per occurrence (inetd-style accept: one per connection).
     */
    public Optional<String> instance() {
        return instance;
    }

    /**
     * Jobs this one needs, as if the job file said {@code needs JOB} for each: started
     * before it, and stopping one stops this job first (a D-Bus service and the job of
     * its bus). Since 2.2.
     */
    public List<String> needs() {
        return needs;
    }

    /** The stanza's canonical text, for {@code show-config}. */
    public String settings() {
        return settings;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StanzaContribution that && startOn.equals(that.startOn)
                && stopOn.equals(that.stopOn) && environment.equals(that.environment)
                && descriptors.equals(that.descriptors) && readiness.equals(that.readiness)
                && instance.equals(that.instance) && needs.equals(that.needs) && settings.equals(that.settings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(startOn, stopOn, environment, descriptors, readiness, instance, needs, settings);
    }

    @Override
    public String toString() {
        return settings;
    }

    /** Builds a {@link StanzaContribution}; not thread-safe. */
    public static final class Builder {
        private Optional<EventExpression> startOn = Optional.empty();
        private Optional<EventExpression> stopOn = Optional.empty();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<InheritedDescriptor> descriptors = new ArrayList<>();
        private Optional<Readiness> readiness = Optional.empty();
        private Optional<String> instance = Optional.empty();
        private final List<String> needs = new ArrayList<>();
        private final String settings;

        private Builder(String settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** Or-s {@code condition} into the job's {@code start on}. */
        public Builder startOn(EventExpression condition) {
            startOn = Optional.of(condition);
            return this;
        }

        /** Or-s {@code condition} into the job's {@code stop on}. */
        public Builder stopOn(EventExpression condition) {
            stopOn = Optional.of(condition);
            return this;
        }

        /** Adds {@code key=value} to the processes' environment. */
        public Builder environment(String key, String value) {
            environment.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Passes {@code descriptor} to the main process at every spawn. */
        public Builder descriptor(InheritedDescriptor descriptor) {
            descriptors.add(Objects.requireNonNull(descriptor, "descriptor"));
            return this;
        }

        /** Makes the job ready by {@code condition} instead of its {@code expect}. */
        public Builder readiness(Readiness condition) {
            readiness = Optional.of(condition);
            return this;
        }

        /** Names instances by {@code template} when the job has no {@code instance} stanza. */
        public Builder instance(String template) {
            instance = Optional.of(template);
            return this;
        }

        /** Makes the job need {@code job}, as a {@code needs} stanza would. Since 2.2. */
        public Builder needs(String job) {
            needs.add(Objects.requireNonNull(job, "job"));
            return this;
        }

        public StanzaContribution build() {
            return new StanzaContribution(this);
        }
    }
}
