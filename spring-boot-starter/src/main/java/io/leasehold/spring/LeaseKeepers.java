package io.leasehold.spring;

import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.ObjectStore;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Lease keepers on one store with the lease defaults configured under {@code leasehold.store.lease.*}
 * (or {@code leasehold.stores.<name>.lease.*}): duration, safety margin, wait, create-if-absent. The
 * starter's bean for each store, qualified like the store.
 *
 * <pre>{@code
 * try (LeaseKeeper keeper = keepers.keep("leader", new LeaseListener() {
 *         public void onLost(Lease lease, ObjectStoreException cause) { stepDown(); }
 *     })) {
 *     lead(keeper);
 * }
 * }</pre>
 * For scheduled jobs, {@link LeaseholdLocked} does this around the method.
 *
 * <p>Thread-safety: immutable; safe for concurrent use.
 */
public final class LeaseKeepers {
    private final ObjectStore store;
    private final LeaseOptions options;

    /**
     * Creates the helper.
     *
     * @param store the store
     * @param options the options every keeper starts from
     * @throws InvalidArgumentException if an argument is null
     */
    public LeaseKeepers(ObjectStore store, LeaseOptions options) {
        if (store == null || options == null) {
            throw new InvalidArgumentException(store == null ? "store" : "options", "must not be null");
        }
        this.store = store;
        this.options = options;
    }

    /**
     * Acquires the lease on {@code key} with the configured options and keeps it renewed until the
     * keeper is closed: {@link io.leasehold.core.lease.Leases#keep(String, LeaseOptions, LeaseListener)}.
     *
     * @param key the key
     * @param listener told about renewals, transient failures and loss (stop working on {@code onLost})
     * @return the running keeper; close it to release the lease
     * @throws io.leasehold.core.LeaseHeldException if someone else holds the lease when the configured wait ends
     * @throws io.leasehold.core.ObjectNotFoundException if the object is missing and create-if-absent is off
     * @throws io.leasehold.core.NotSupportedException if the store has no leases
     * @throws io.leasehold.core.ObjectStoreException on other failures, as {@code Leases.acquire}
     */
    public LeaseKeeper keep(String key, LeaseListener listener) {
        return store.leases().keep(key, options, listener);
    }

    /**
     * As {@link #keep(String, LeaseListener)}, with the configured options adjusted for this call.
     *
     * @param key the key
     * @param listener told about renewals, transient failures and loss
     * @param adjust changes to a copy of the configured options
     * @return the running keeper; close it to release the lease
     * @throws io.leasehold.core.InvalidArgumentException if an adjusted option is out of range (nothing was sent)
     * @throws io.leasehold.core.ObjectStoreException as {@link #keep(String, LeaseListener)}
     */
    public LeaseKeeper keep(String key, LeaseListener listener, Consumer<LeaseOptions.Builder> adjust) {
        Objects.requireNonNull(adjust, "adjust");
        LeaseOptions.Builder builder = options.toBuilder();
        adjust.accept(builder);
        return store.leases().keep(key, builder.build(), listener);
    }

    /**
     * The configured options, to pass to the store's {@link io.leasehold.core.lease.Leases} yourself.
     *
     * @return the options
     */
    public LeaseOptions options() {
        return options;
    }

    /**
     * The store.
     *
     * @return the store
     */
    public ObjectStore store() {
        return store;
    }

    @Override
    public String toString() {
        return "LeaseKeepers{" + store + ", " + options + "}";
    }
}
