package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Hostile review of {@link ObjectStore#deleteIfPresent} and {@link ObjectStore#exists}: lost answers
 * with the object written again before the read-back, and conditional deletes.
 */
class ReviewDeleteIfPresentTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Deletes that land and lose their answer, or time out before landing; a hook after landing. */
    static final class LossyDeletes extends ForwardingStoreDriver {
        final StoreDriver raw;
        final AtomicInteger landThenLose = new AtomicInteger();
        final AtomicInteger loseBeforeLanding = new AtomicInteger();
        final AtomicInteger deletes = new AtomicInteger();
        volatile Runnable afterLanding = () -> { };

        LossyDeletes(StoreDriver raw) {
            super(raw);
            this.raw = raw;
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            deletes.incrementAndGet();
            if (loseBeforeLanding.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new OutcomeUnknownException(key, "injected: timed out before landing", null);
            }
            super.delete(key, options);
            if (landThenLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                afterLanding.run();
                throw new OutcomeUnknownException(key, "injected: landed, answer lost", null);
            }
        }
    }

    @Test
    void aLostDeleteAnswerWithTheObjectWrittenAgainBeforeTheReadBackIsUnknownAndNotSentAgain() {
        LossyDeletes driver = new LossyDeletes(MemoryDriver.create());
        ObjectStore store = ObjectStore.of(driver);
        ObjectStore other = ObjectStore.of(driver.raw);
        store.put("k", bytes("v1"));
        driver.landThenLose.set(1);
        driver.afterLanding = () -> other.put("k", bytes("re-created"));
        assertThrows(OutcomeUnknownException.class, () -> store.deleteIfPresent("k"));
        assertEquals(1, driver.deletes.get(), "never sent again on a guess");
        assertEquals("re-created", text(store.get("k").content()), "the other writer's object survives");
    }

    @Test
    void aLostConditionalDeleteAnswerWithTheObjectWrittenAgainIsUnknownAndTheNewObjectSurvives() {
        LossyDeletes driver = new LossyDeletes(MemoryDriver.create());
        ObjectStore store = ObjectStore.of(driver);
        ObjectStore other = ObjectStore.of(driver.raw);
        PutResult v1 = store.put("k", bytes("v1"));
        driver.landThenLose.set(1);
        driver.afterLanding = () -> other.update("k", b -> bytes("re-created"));
        assertThrows(OutcomeUnknownException.class, () -> store.deleteIfPresent("k", DeleteOptions.ifMatch(v1.version())));
        assertEquals(1, driver.deletes.get());
        assertEquals("re-created", text(store.get("k").content()));
    }

    @Test
    void aLostConditionalDeleteAnswerWithTheObjectRecreatedWithTheSameBytesOnAContentHashStoreIsUnknown() {
        LossyDeletes driver = new LossyDeletes(new io.leasehold.testing.ContentHashDriver());
        ObjectStore store = ObjectStore.of(driver);
        ObjectStore other = ObjectStore.of(driver.raw);
        PutResult v1 = store.put("k", bytes("same"));
        driver.landThenLose.set(1);
        // The same bytes again, by a writer outside the library (no write id): the same ETag as v1.
        driver.afterLanding = () -> driver.raw.put("k", bytes("same"), PutOptions.defaults());
        assertThrows(OutcomeUnknownException.class, () -> store.deleteIfPresent("k", DeleteOptions.ifMatch(v1.version())));
        assertEquals(1, driver.deletes.get(), "an equal content hash proves nothing: not sent again");
        assertTrue(store.exists("k"));
    }

    @Test
    void aConditionalDeleteProvenNotLandedIsSentAgainAndAnswersTrue() {
        LossyDeletes driver = new LossyDeletes(MemoryDriver.create());
        ObjectStore store = ObjectStore.of(driver);
        PutResult v1 = store.put("k", bytes("v1"));
        driver.loseBeforeLanding.set(1);
        assertTrue(store.deleteIfPresent("k", DeleteOptions.ifMatch(v1.version())));
        assertEquals(2, driver.deletes.get());
        assertFalse(store.exists("k"));
    }

    @Test
    void conditionsAreCheckedOnlyWhenTheObjectExists() {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        PutResult v1 = store.put("k", bytes("v1"));
        store.put("k", bytes("v2"));
        assertThrows(PreconditionFailedException.class, () -> store.deleteIfPresent("k", DeleteOptions.ifMatch(v1.version())));
        assertEquals("v2", text(store.get("k").content()));
        store.delete("k");
        assertFalse(store.deleteIfPresent("k", DeleteOptions.ifMatch(v1.version())));
        assertFalse(store.deleteIfPresent("k"));
        assertFalse(store.exists("k"));
    }

    @Test
    void anUnconditionalDeleteWhoseAnswerIsLostAndWhichLandedAnswersTrue() {
        LossyDeletes driver = new LossyDeletes(MemoryDriver.create());
        ObjectStore store = ObjectStore.of(driver);
        store.put("k", bytes("v1"));
        driver.landThenLose.set(1);
        assertTrue(store.deleteIfPresent("k"));
        assertEquals(1, driver.deletes.get());
    }

    @Test
    void aWeakIfMatchIsRefusedOnAPresentObjectAndFalseOnAnAbsentOne() {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        store.put("k", bytes("v1"));
        DeleteOptions weak = DeleteOptions.builder().ifMatch(ETag.weak("x")).build();
        assertThrows(PreconditionFailedException.class, () -> store.deleteIfPresent("k", weak));
        assertTrue(store.exists("k"));
        assertFalse(store.deleteIfPresent("absent", weak));
    }
}
