package io.leasehold.core;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a driver supports, as data.
 *
 * <p>Thread-safety: immutable.
 */
public final class Capabilities {
    private final Set<Capability> supported;

    private Capabilities(Set<Capability> supported) {
        this.supported = Collections.unmodifiableSet(supported.isEmpty()
                ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(supported));
    }

    /**
     * Capabilities from a set.
     *
     * @param supported what the driver supports
     * @return the capabilities
     */
    public static Capabilities of(Set<Capability> supported) {
        return new Capabilities(supported);
    }

    /**
     * Capabilities from a list.
     *
     * @param supported what the driver supports
     * @return the capabilities
     */
    public static Capabilities of(Capability... supported) {
        Set<Capability> s = EnumSet.noneOf(Capability.class);
        Collections.addAll(s, supported);
        return new Capabilities(s);
    }

    /**
     * Every capability.
     *
     * @return all of them
     */
    public static Capabilities all() {
        return new Capabilities(EnumSet.allOf(Capability.class));
    }

    /**
     * Whether the capability is supported.
     *
     * @param capability the capability
     * @return true if supported
     */
    public boolean supports(Capability capability) {
        return supported.contains(capability);
    }

    /**
     * The supported capabilities.
     *
     * @return an unmodifiable set
     */
    public Set<Capability> asSet() {
        return supported;
    }

    /**
     * A copy without some capabilities.
     *
     * @param removed capabilities to drop
     * @return the reduced set
     */
    public Capabilities without(Capability... removed) {
        Set<Capability> s = supported.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(supported);
        for (Capability c : removed) {
            s.remove(c);
        }
        return new Capabilities(s);
    }

    /**
     * A copy with more capabilities.
     *
     * @param added capabilities to add
     * @return the enlarged set
     */
    public Capabilities with(Capability... added) {
        Set<Capability> s = supported.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(supported);
        Collections.addAll(s, added);
        return new Capabilities(s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Capabilities && ((Capabilities) o).supported.equals(supported);
    }

    @Override
    public int hashCode() {
        return supported.hashCode();
    }

    @Override
    public String toString() {
        return supported.toString();
    }
}
