package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code exists} (one HEAD, absent is an answer) and {@code deleteIfPresent} (absent is an answer; an
 * unknown outcome is settled by one read, never by sending the delete again), blocking and asynchronous.
 */
class ExistsAndDeleteIfPresentTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Counts requests; the n-th delete can apply and then lose its answer, or fail without applying. */
    static final class Deletes extends ForwardingStoreDriver {
        final AtomicInteger heads = new AtomicInteger();
        final AtomicInteger gets = new AtomicInteger();
        final AtomicInteger deletes = new AtomicInteger();
        volatile boolean applyThenLoseAnswer;
        volatile boolean loseAnswerWithoutApplying;
        volatile Runnable afterApplied = () -> { };

        Deletes(StoreDriver delegate) {
            super(delegate);
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            (withContent ? gets : heads).incrementAndGet();
            return super.get(key, options, withContent);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            deletes.incrementAndGet();
            if (loseAnswerWithoutApplying) {
                throw new OutcomeUnknownException(key, "injected: timeout before the store saw it", null);
            }
            super.delete(key, options);
            if (applyThenLoseAnswer) {
                afterApplied.run();
                throw new OutcomeUnknownException(key, "injected: response lost after the delete", null);
            }
        }
    }

    /** Records each operation's outcome as "OPERATION OUTCOME" (OK on success). */
    static final class Outcomes implements StoreObserver {
        final List<String> ended = new CopyOnWriteArrayList<>();

        @Override
        public Scope operationStarted(String driver, Operation operation, String key) {
            return (outcome, attempts, failure) -> ended.add(operation + " " + (outcome == null ? "OK" : outcome));
        }
    }

    @Test
    void existsIsOneHeadAndAbsentIsAnAnswer() {
        Deletes driver = new Deletes(MemoryDriver.create());
        Outcomes outcomes = new Outcomes();
        try (ObjectStore store = ObjectStore.builder().driver(driver).observer(outcomes).build()) {
            assertFalse(store.exists("k"));
            store.put("k", bytes("v"));
            assertTrue(store.exists("k"));
            assertEquals(2, driver.heads.get(), "one HEAD per call, no content read");
            assertEquals(0, driver.gets.get());
            assertEquals(List.of("HEAD OK", "PUT OK", "HEAD OK"), outcomes.ended, "absent is not a failure");
            assertThrows(InvalidArgumentException.class, () -> store.exists(""));
            assertEquals(2, driver.heads.get(), "an invalid key is refused before sending");
        }
    }

    @Test
    void existsAsynchronously() {
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            assertFalse(store.async().exists("k").join());
            store.put("k", bytes("v"));
            assertTrue(store.async().exists("k").join());
            CompletionException e = assertThrows(CompletionException.class, () -> store.async().exists(null).join());
            assertTrue(e.getCause() instanceof InvalidArgumentException);
        }
    }

    @Test
    void existsReportsOtherFailuresAsHeadDoes() {
        StoreDriver denied = new ForwardingStoreDriver(MemoryDriver.create()) {
            @Override
            public GetResponse get(String key, GetOptions options, boolean withContent) {
                throw new AccessDeniedException(key, "injected: 403", null);
            }
        };
        try (ObjectStore store = ObjectStore.of(denied)) {
            assertThrows(AccessDeniedException.class, () -> store.exists("k"));
        }
    }

    @Test
    void deleteIfPresentSaysWhetherThisCallDeletedIt() {
        Deletes driver = new Deletes(MemoryDriver.create());
        Outcomes outcomes = new Outcomes();
        try (ObjectStore store = ObjectStore.builder().driver(driver).observer(outcomes).build()) {
            store.put("k", bytes("v"));
            assertTrue(store.deleteIfPresent("k"));
            assertFalse(store.exists("k"));
            assertFalse(store.deleteIfPresent("k"), "already absent: false, no exception");
            assertEquals(2, driver.deletes.get(), "one request per call");
            assertEquals(List.of("PUT OK", "DELETE OK", "HEAD OK", "DELETE OK"), outcomes.ended);
            assertThrows(ObjectNotFoundException.class, () -> store.delete("k"), "delete itself is unchanged");
        }
    }

    @Test
    void deleteIfPresentKeepsConditions() {
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            PutResult first = store.put("k", bytes("1"));
            store.put("k", bytes("2"));
            assertThrows(PreconditionFailedException.class,
                    () -> store.deleteIfPresent("k", DeleteOptions.builder().ifMatch(first.version()).build()));
            assertTrue(store.exists("k"), "a failed condition deletes nothing");
            assertTrue(store.deleteIfPresent("k", DeleteOptions.builder().ifMatch(store.head("k").info().version()).build()));
            assertFalse(store.deleteIfPresent("k", DeleteOptions.builder().ifMatch(first.version()).build()),
                    "absent answers before the condition");
        }
    }

    @Test
    void anUnknownOutcomeFollowedByAbsentIsTrueAndNotSentAgain() {
        Deletes driver = new Deletes(MemoryDriver.create());
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("k", bytes("v"));
            driver.applyThenLoseAnswer = true;
            assertTrue(store.deleteIfPresent("k"), "absent after the unknown outcome: the goal holds");
            assertEquals(1, driver.deletes.get(), "settled by one read, not by sending again");
            assertEquals(1, driver.heads.get());
        }
    }

    @Test
    void anUnknownOutcomeFollowedByPresentIsOutcomeUnknown() {
        MemoryDriver memory = MemoryDriver.create();
        Deletes driver = new Deletes(memory);
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("k", bytes("v"));
            driver.loseAnswerWithoutApplying = true;
            assertThrows(OutcomeUnknownException.class, () -> store.deleteIfPresent("k"));
            assertEquals(1, driver.deletes.get(), "never a blind re-send");
            assertTrue(store.exists("k"));

            // Landed, then someone wrote the key again before the read: present, so unknown too.
            driver.loseAnswerWithoutApplying = false;
            driver.applyThenLoseAnswer = true;
            driver.afterApplied = () -> memory.put("k", bytes("again"), PutOptions.defaults());
            assertThrows(OutcomeUnknownException.class, () -> store.deleteIfPresent("k"));
            assertEquals(2, driver.deletes.get());
        }
    }

    @Test
    void anUnknownOutcomeOfPlainDeleteIsStillUnknown() {
        Deletes driver = new Deletes(MemoryDriver.create());
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("k", bytes("v"));
            driver.applyThenLoseAnswer = true;
            assertThrows(OutcomeUnknownException.class, () -> store.delete("k"),
                    "delete promises an exception for absent keys, so it cannot claim this one");
        }
    }

    @Test
    void deleteIfPresentAsynchronously() {
        Deletes driver = new Deletes(MemoryDriver.create());
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("k", bytes("v"));
            assertTrue(store.async().deleteIfPresent("k").join());
            assertFalse(store.async().deleteIfPresent("k", DeleteOptions.defaults()).join());
            store.put("k", bytes("v"));
            driver.applyThenLoseAnswer = true;
            assertTrue(store.async().deleteIfPresent("k").join());
            assertEquals(3, driver.deletes.get());
        }
    }
}
