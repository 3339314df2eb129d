package io.leasehold.core;

import io.leasehold.core.internal.Futures;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The answer of {@link ObjectStore#checkHealth(String)}: up when the store answered the check (the
 * key found or not), down with the portable code of the failure otherwise. Carries no message, so
 * nothing of a credential or an endpoint can leak into a health endpoint.
 *
 * <p>Thread-safety: immutable.
 */
public final class StoreHealth {
    private static final StoreHealth UP = new StoreHealth(null);

    private final ErrorCode error;

    private StoreHealth(ErrorCode error) {
        this.error = error;
    }

    /** The health after one head (a blocking call of the store). */
    static StoreHealth of(Supplier<CompletableFuture<?>> head) {
        try {
            Futures.join(head.get());
            return UP;
        } catch (RuntimeException e) {
            return from(e);
        }
    }

    /** The health once a head completes. */
    static CompletableFuture<StoreHealth> ofAsync(CompletableFuture<?> head) {
        return head.handle((found, failure) -> failure == null ? UP : from(Futures.unwrap(failure)));
    }

    private static StoreHealth from(Throwable failure) {
        if (failure instanceof ObjectNotFoundException) {
            return UP;
        }
        return new StoreHealth(failure instanceof ObjectStoreException ? ((ObjectStoreException) failure).code()
                : ErrorCode.UNKNOWN);
    }

    /**
     * Whether the store answered.
     *
     * @return true if up
     */
    public boolean isUp() {
        return error == null;
    }

    /**
     * Why the store is down.
     *
     * @return the failure's code, or empty if up
     */
    public Optional<ErrorCode> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public String toString() {
        return error == null ? "StoreHealth{UP}" : "StoreHealth{DOWN, " + error + "}";
    }
}
