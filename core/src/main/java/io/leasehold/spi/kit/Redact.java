package io.leasehold.spi.kit;

import org.jspecify.annotations.Nullable;

/**
 * Shortens secrets before they reach a message or log. For drivers: messages and logs never carry a lease id in full. Thread-safety: stateless.
 */
public final class Redact {
    private Redact() {
    }

    /**
     * A lease id shortened to its first four characters.
     *
     * @param id the id, or null
     * @return e.g. {@code "3f2a…"}
     */
    public static String leaseId(@Nullable String id) {
        if (id == null) {
            return "null";
        }
        return id.length() <= 4 ? "…" : id.substring(0, 4) + "…";
    }
}
