package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.driver.file.FileDriverProvider;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.driver.memory.MemoryDriverProvider;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.StoreDriverProvider;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the Spring starter needs from core: default update options on the store, a health check that
 * observers never hear, and providers that declare their URI parameters.
 */
class StoreDefaultsAndHealthTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void updateWithoutOptionsUsesTheStoresDefaults() {
        List<String> heard = new CopyOnWriteArrayList<>();
        UpdateOptions defaults = UpdateOptions.builder()
                .retryConfig(RetryConfig.custom().maxAttempts(2).waitDuration(Duration.ofMillis(1))
                        .retryOnException(Conflicts::isRetryableAfterReread).build())
                .listener(new UpdateListener() {
                    @Override
                    public void onConflict(String key, int attempt, ObjectStoreException cause) {
                        heard.add("conflict " + attempt);
                    }

                    @Override
                    public void onSuccess(UpdateResult result) {
                        heard.add("success " + result.put().key());
                    }
                })
                .build();
        try (ObjectStore store = ObjectStore.builder().driver(MemoryDriver.create()).defaultUpdateOptions(defaults).build()) {
            assertSame(defaults, store.defaultUpdateOptions());
            store.put("k", bytes("0"));
            AtomicInteger runs = new AtomicInteger();
            UpdateFunction alwaysLoses = current -> {
                store.put("k", bytes("other " + runs.incrementAndGet()));
                return bytes("mine");
            };
            assertThrows(PreconditionFailedException.class, () -> store.update("k", alwaysLoses));
            assertEquals(2, runs.get(), "the defaults' two attempts");
            assertEquals(List.of("conflict 1", "conflict 2"), heard);

            heard.clear();
            store.async().update("other", current -> bytes("x")).join();
            assertEquals(List.of("success other"), heard, "the asynchronous update without options uses them too");

            runs.set(0);
            assertThrows(PreconditionFailedException.class, () -> store.update("k", alwaysLoses,
                    UpdateOptions.builder().retryConfig(RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(1))
                            .retryOnException(Conflicts::isRetryableAfterReread).build()).build()));
            assertEquals(3, runs.get(), "options given to the call replace the defaults");
        }
        try (ObjectStore plain = ObjectStore.of(MemoryDriver.create())) {
            assertSame(UpdateOptions.defaults(), plain.defaultUpdateOptions());
        }
    }

    @Test
    void defaultUpdateOptionsAreChecked() {
        assertEquals("defaultUpdateOptions", assertThrows(InvalidArgumentException.class,
                () -> ObjectStore.builder().driver(MemoryDriver.create()).defaultUpdateOptions(null).build()).field());
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            store.put("k", bytes("v"));
            GetResult held = store.get("k");
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> ObjectStore.builder()
                    .driver(MemoryDriver.create())
                    .defaultUpdateOptions(UpdateOptions.builder().startingFrom(held).build()).build());
            assertEquals("defaultUpdateOptions", e.field());
        }
    }

    /** Fails heads with a scripted exception and counts them. */
    static final class Heads extends ForwardingStoreDriver {
        final AtomicInteger heads = new AtomicInteger();
        volatile RuntimeException failure;

        Heads() {
            super(MemoryDriver.create());
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            heads.incrementAndGet();
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
            return super.get(key, options, withContent);
        }
    }

    /** Hears every observer method. */
    static final class Everything implements StoreObserver {
        final AtomicInteger events = new AtomicInteger();

        @Override
        public Scope operationStarted(String driver, Operation operation, String key) {
            events.incrementAndGet();
            return Scope.NONE;
        }

        @Override
        public void retryScheduled(String driver, Operation operation, String key, ObjectStoreException cause,
                                   int attempt, Duration wait) {
            events.incrementAndGet();
        }
    }

    @Test
    void aHealthCheckIsOneUnobservedHead() {
        Heads driver = new Heads();
        Everything observer = new Everything();
        try (ObjectStore store = ObjectStore.builder().driver(driver).observer(observer).build()) {
            StoreHealth absent = store.checkHealth("health/probe");
            assertTrue(absent.isUp(), "not found is an answer");
            assertEquals(Optional.empty(), absent.error());
            store.put("health/probe", bytes("x"));
            int events = observer.events.get();
            assertTrue(store.checkHealth("health/probe").isUp());

            driver.failure = new AccessDeniedException("health/probe", "injected: 403", null);
            StoreHealth denied = store.checkHealth("health/probe");
            assertFalse(denied.isUp());
            assertEquals(Optional.of(ErrorCode.ACCESS_DENIED), denied.error());

            driver.failure = new TransientException(ErrorCode.THROTTLED, "health/probe", "injected: 503", null);
            int heads = driver.heads.get();
            StoreHealth throttled = store.checkHealth("health/probe");
            assertEquals(Optional.of(ErrorCode.THROTTLED), throttled.error());
            assertTrue(driver.heads.get() - heads > 1, "retried under the store's operation retry");

            driver.failure = null;
            assertTrue(store.async().checkHealth("health/probe").join().isUp());
            assertEquals(events, observer.events.get(), "observers heard nothing of the health checks");
            assertThrows(InvalidArgumentException.class, () -> store.checkHealth(""));
        }
    }

    @Test
    void providersDeclareTheirUriParameters() throws Exception {
        assertEquals(Set.of(), new MemoryDriverProvider().parameters());
        assertEquals(Set.of(), new FileDriverProvider().parameters());
        Method declared = StoreDriverProvider.class.getMethod("parameters");
        assertTrue(declared.isDefault(), "providers written before it keep compiling");
    }
}
