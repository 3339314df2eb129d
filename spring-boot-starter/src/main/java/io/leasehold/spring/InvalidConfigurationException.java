package io.leasehold.spring;

import io.leasehold.core.InvalidArgumentException;

/**
 * A {@code leasehold.*} property (or a {@link LeaseholdLocked} attribute) that cannot work, found at
 * startup before anything was sent: the field names the property in full (or the annotated method),
 * and {@link #action()} says how to fix it. The
 * {@link LeaseholdFailureAnalyzer} turns it into Spring Boot's startup failure report. Messages
 * name properties and option names, never their values (URIs and options may hold credentials).
 *
 * <p>Thread-safety: immutable once thrown.
 */
final class InvalidConfigurationException extends InvalidArgumentException {
    private static final long serialVersionUID = 1L;

    private final String action;

    InvalidConfigurationException(String setting, String problem, String action) {
        super(setting, problem);
        this.action = action;
    }

    /** The property's full name, e.g. {@code leasehold.store.options.timeout}, or the annotated method's attribute. */
    String setting() {
        return field();
    }

    /** What to do about it. */
    String action() {
        return action;
    }
}
