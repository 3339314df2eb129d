package io.leasehold.bench.contention;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.UpdateListener;
import io.leasehold.core.UpdateOptions;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * How a writer increments the counter:
 * <ul>
 *   <li>{@code leasehold}: {@code ObjectStore.update} with default options (coalescing on where the
 *       core has it);</li>
 *   <li>{@code leasehold-nocoalesce}: the same with {@code UpdateOptions.Builder.coalesce(false)}, when
 *       the core on the class path has that option (found by reflection, so this harness builds before
 *       and after coalescing lands);</li>
 *   <li>{@code r4j-default}: the loop an application writes on the store's own SDK — read, If-Match
 *       write, and on any failure Resilience4j {@code RetryConfig.ofDefaults()} (3 attempts, 500 ms fixed
 *       wait);</li>
 *   <li>{@code exponential}: the same loop with exponential backoff without jitter (10 ms doubling to at
 *       most 1 s, 10 attempts).</li>
 * </ul>
 */
final class Strategy {
    /** leasehold (and leasehold-nocoalesce where the core has the option), r4j-default, exponential. */
    static final List<String> DEFAULTS = coalesceOptionAvailable()
            ? List.of("leasehold", "leasehold-nocoalesce", "r4j-default", "exponential")
            : List.of("leasehold", "r4j-default", "exponential");

    private Strategy() {
    }

    /** One writer's way of making one update; confined to its thread. */
    interface Updater {
        /**
         * Makes one update.
         *
         * @return the attempts it took
         * @throws Failed when the update failed, with the attempts it made
         */
        int update();
    }

    /** A failed update and the attempts it made. */
    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int attempts;
        final transient RuntimeException cause;

        Failed(int attempts, RuntimeException cause) {
            super(null, null, false, false);
            this.attempts = attempts;
            this.cause = cause;
        }
    }

    static byte[] increment(byte[] current) {
        long n = current == null || current.length == 0 ? 0 : Long.parseLong(new String(current, StandardCharsets.US_ASCII).trim());
        return Long.toString(n + 1).getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether this core has {@code UpdateOptions.Builder.coalesce(boolean)}. */
    static boolean coalesceOptionAvailable() {
        return coalesceMethod() != null;
    }

    private static Method coalesceMethod() {
        try {
            return UpdateOptions.Builder.class.getMethod("coalesce", boolean.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    static Updater leasehold(ObjectStore store, String key, boolean coalesce, boolean setCoalesce) {
        int[] gaveUpAfter = new int[1];
        UpdateOptions.Builder b = UpdateOptions.builder().listener(new UpdateListener() {
            @Override
            public void onGiveUp(String k, int attempts, RuntimeException cause) {
                gaveUpAfter[0] = attempts;
            }
        });
        if (setCoalesce) {
            Method m = coalesceMethod();
            if (m == null) {
                throw new IllegalStateException("this core has no UpdateOptions.Builder.coalesce(boolean)");
            }
            try {
                m.invoke(b, coalesce);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        UpdateOptions options = b.build();
        return () -> {
            gaveUpAfter[0] = 0;
            try {
                return store.update(key, Strategy::increment, options).attempts();
            } catch (ObjectStoreException e) {
                throw new Failed(Math.max(1, gaveUpAfter[0]), e);
            }
        };
    }

    static RetryConfig r4jDefault() {
        return RetryConfig.ofDefaults();
    }

    static RetryConfig exponential() {
        return RetryConfig.custom().maxAttempts(10)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(10), 2.0, Duration.ofSeconds(1)))
                .build();
    }

    static Updater raw(Cas cas, String key, RetryConfig config) {
        Retry retry = Retry.of("raw-" + key, config);
        int[] attempts = new int[1];
        java.util.function.Supplier<Integer> call = Retry.decorateSupplier(retry, () -> {
            attempts[0]++;
            Cas.Current current = cas.read(key);
            cas.write(key, increment(current == null ? null : current.content), current == null ? null : current.etag);
            return attempts[0];
        });
        return () -> {
            attempts[0] = 0;
            try {
                return call.get();
            } catch (RuntimeException e) {
                throw new Failed(attempts[0], e);
            }
        };
    }

    /** The updater for a strategy name; {@code store} and {@code cas} are shared by the process's writers. */
    static Updater of(String strategy, ObjectStore store, Cas cas, String key) {
        switch (strategy) {
            case "leasehold":
                return leasehold(store, key, true, false);
            case "leasehold-coalesce":
                return leasehold(store, key, true, true);
            case "leasehold-nocoalesce":
                return leasehold(store, key, false, true);
            case "r4j-default":
                return raw(cas, key, r4jDefault());
            case "exponential":
                return raw(cas, key, exponential());
            default:
                throw new IllegalArgumentException("unknown strategy " + strategy);
        }
    }

    static boolean usesLeasehold(String strategy) {
        return strategy.startsWith("leasehold");
    }
}
