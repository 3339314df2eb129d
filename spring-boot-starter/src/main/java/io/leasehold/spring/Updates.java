package io.leasehold.spring;

import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.UpdateFunction;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.UpdateResult;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Read-modify-write on one store with the retry configured under {@code leasehold.store.update.*}
 * (or {@code leasehold.stores.<name>.update.*}): the starter's bean for each store, qualified like the
 * store. {@code store.update(key, fn)} on the store itself uses the library's defaults; this bean
 * applies the properties.
 *
 * <pre>{@code
 * UpdateResult r = updates.update("counters/visits", current -> increment(current));
 * UpdateResult g = updates.update("reports/daily", fn, options -> options.leaseId(lock.leaseId()));
 * }</pre>
 *
 * <p>Thread-safety: immutable; safe for concurrent use.
 */
public final class Updates {
    private final ObjectStore store;
    private final UpdateOptions options;

    /**
     * Creates the helper.
     *
     * @param store the store
     * @param options the options every update starts from
     * @throws InvalidArgumentException if an argument is null
     */
    public Updates(ObjectStore store, UpdateOptions options) {
        if (store == null || options == null) {
            throw new InvalidArgumentException(store == null ? "store" : "options", "must not be null");
        }
        this.store = store;
        this.options = options;
    }

    /**
     * Read-modify-write with the configured options: {@link ObjectStore#update(String, UpdateFunction, UpdateOptions)}.
     *
     * @param key the key; created when absent
     * @param fn the change; may run several times, so keep it free of side effects
     * @return what was written
     * @throws io.leasehold.core.ObjectStoreException as {@link ObjectStore#update(String, UpdateFunction, UpdateOptions)}:
     *     the last failure when retries are exhausted, {@link io.leasehold.core.OutcomeUnknownException} if a
     *     write can be neither found nor ruled out (read before acting again)
     */
    public UpdateResult update(String key, UpdateFunction fn) {
        return store.update(key, fn, options);
    }

    /**
     * Read-modify-write with the configured options, adjusted for this call (a lease id, metadata, a
     * held version...).
     *
     * @param key the key; created when absent
     * @param fn the change; may run several times, so keep it free of side effects
     * @param adjust changes to a copy of the configured options
     * @return what was written
     * @throws io.leasehold.core.ObjectStoreException as {@link #update(String, UpdateFunction)}
     */
    public UpdateResult update(String key, UpdateFunction fn, Consumer<UpdateOptions.Builder> adjust) {
        Objects.requireNonNull(adjust, "adjust");
        UpdateOptions.Builder builder = options.toBuilder();
        adjust.accept(builder);
        return store.update(key, fn, builder.build());
    }

    /**
     * The configured options, to pass to {@link ObjectStore#update(String, UpdateFunction, UpdateOptions)}.
     *
     * @return the options
     */
    public UpdateOptions options() {
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
        return "Updates{" + store + "}";
    }
}
