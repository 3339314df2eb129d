package io.leasehold.core;

import io.leasehold.core.internal.write.Settlement;
import io.leasehold.core.transfer.TransferOptions;
import static io.leasehold.testing.ContentHashDriver.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.testing.ContentHashDriver;
import io.leasehold.testing.ContentHashDriver.Fault;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Ambiguous outcomes settled from evidence that is valid for the store (issue 7): on a store whose
 * ETags are content hashes (as S3), an ETag equal to the base's proves nothing, only write ids do.
 * Each case here doubled or lost a write before write ids on every put and {@link Settlement}.
 */
class AmbiguityTest {

    private static long value(ObjectStore store, String key) {
        return Long.parseLong(new String(store.get(key).content(), StandardCharsets.UTF_8));
    }

    private static UpdateFunction add(int delta) {
        return current -> bytes(Long.toString((current == null ? 0 : Long.parseLong(new String(current,
                StandardCharsets.UTF_8))) + delta));
    }

    @Test
    void aLostUpdateHiddenByAnABARewriteIsNotAppliedTwice() throws Exception {
        // A reads "0"; B's +1 lands, response lost; C's -1 makes it "0" again; A's If-Match on the old
        // ETag succeeds (same bytes, same ETag) and its history no longer names B. B must not conclude
        // "not applied" and add 1 again.
        ContentHashDriver driver = new ContentHashDriver();
        ObjectStore store = ObjectStore.of(driver);
        ObjectStore plain = ObjectStore.of(driverWithoutFaults(driver));
        store.put("k", bytes("0"));
        CountDownLatch aHasRead = new CountDownLatch(1);
        CountDownLatch aMayWrite = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<UpdateResult> a = pool.submit(() -> plain.update("k", current -> {
                if (aHasRead.getCount() > 0) {
                    aHasRead.countDown();
                    await(aMayWrite);
                }
                return add(1).apply(current);
            }));
            assertTrue(aHasRead.await(10, TimeUnit.SECONDS));
            ObjectStore third = ObjectStore.of(driverWithoutFaults(driver));
            driver.script(n -> n == 2 ? Fault.APPLY_THEN_UNKNOWN : Fault.NONE).interleave(() -> {
                third.update("k", add(-1));     // C: "1" -> "0" (another process: not queued behind A)
                aMayWrite.countDown();          // A: If-Match on "0"'s ETag lands
                try {
                    assertEquals(1, a.get(10, TimeUnit.SECONDS).attempts());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            AtomicInteger applications = new AtomicInteger();
            OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class, () -> store.update("k", current -> {
                applications.incrementAndGet();
                return add(1).apply(current);
            }));
            assertEquals(1, applications.get(), "B's change was not applied a second time");
            assertEquals(1, value(store, "k"), "0 +1 (B) -1 (C) +1 (A)");
            assertFalse(store.capabilities().supports(Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE));
            assertTrue(e.getMessage().contains("not applied again"), e.getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anETagEqualToTheBaseIsNoProofThatALostWriteDidNotLand() {
        // B's +1 lands and its response is lost; a plain overwrite puts "0" back: the ETag equals B's
        // base again, but B's write did land.
        ContentHashDriver driver = new ContentHashDriver();
        ObjectStore store = ObjectStore.of(driver);
        store.put("k", bytes("0"));
        ObjectStore plain = ObjectStore.of(driverWithoutFaults(driver));
        driver.script(n -> n == 2 ? Fault.APPLY_THEN_UNKNOWN : Fault.NONE)
                .interleave(() -> plain.put("k", bytes("0")));
        assertThrows(OutcomeUnknownException.class, () -> store.update("k", add(1)));
        assertEquals(3, driver.applied(), "seed, B's +1 (once), the overwrite");
    }

    @Test
    void whenTheBaseIsStillCurrentTheLostWriteIsProvenAbsentAndTheUpdateGoesOn() {
        ContentHashDriver driver = new ContentHashDriver()
                .script(n -> n == 2 ? Fault.UNKNOWN_WITHOUT_APPLYING : Fault.NONE);
        ObjectStore store = ObjectStore.of(driver);
        store.put("k", bytes("41"));
        UpdateResult result = store.update("k", add(1));
        assertEquals(42, value(store, "k"));
        assertEquals(2, result.attempts());
        assertEquals(2, driver.applied());
    }

    @Test
    void aLostWriteFoundInALaterHistoryIsTheResultAndSaysItWasSuperseded() {
        ContentHashDriver driver = new ContentHashDriver();
        ObjectStore store = ObjectStore.of(driver);
        store.put("k", bytes("0"));
        ObjectStore plain = ObjectStore.of(driverWithoutFaults(driver));
        driver.script(n -> n == 2 ? Fault.APPLY_THEN_UNKNOWN : Fault.NONE)
                .interleave(() -> plain.update("k", add(10)));
        UpdateResult result = store.update("k", add(1));
        assertTrue(result.put().isSuperseded());
        assertTrue(result.version().isUnknown());
        assertEquals("1", new String(result.content(), StandardCharsets.UTF_8), "what this call wrote");
        assertEquals(11, value(store, "k"));
        assertFalse(result.version().sameAs(store.head("k").info().version()));
        PutOptions stale = PutOptions.of(PutMode.update(result.version()));
        assertThrows(PreconditionFailedException.class, () -> store.put("k", bytes("x"), stale),
                "a condition on an unknown version never holds");
        assertEquals(11, value(store, "k"));
    }

    @Test
    void aLostResponseFollowedByFailingReadsEndsAsOutcomeUnknownNotAsARetryableFailure() {
        ContentHashDriver driver = new ContentHashDriver();
        ObjectStore store = ObjectStore.of(driver);
        store.put("k", bytes("0"));
        driver.script(n -> n == 2 ? Fault.APPLY_THEN_UNKNOWN : Fault.NONE)
                .interleave(() -> driver.failNextReads(1_000));
        // The default predicate: lost races, transient failures and unknown outcomes are retried.
        UpdateOptions options = UpdateOptions.builder().retryConfig(RetryConfig.from(Conflicts.readModifyWriteRetryConfig())
                .maxAttempts(5).waitDuration(java.time.Duration.ofMillis(1)).build()).build();
        OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class, () -> store.update("k", add(1), options));
        assertFalse(Conflicts.isRetryable(e), "a caller must not resend a change that may have landed");
        assertEquals(2, driver.applied());
    }

    @Test
    void aPlainPutWhoseResponseWasLostIsSettledWithOneRead() {
        ContentHashDriver driver = new ContentHashDriver().script(n -> n == 1 ? Fault.APPLY_THEN_UNKNOWN : Fault.NONE);
        ObjectStore store = ObjectStore.of(driver);
        PutResult result = store.put("k", bytes("v"), PutOptions.of(PutMode.create()));
        assertEquals(1, driver.puts());
        assertEquals(1, driver.reads(), "one read settles it");
        assertFalse(result.isSuperseded());
        assertEquals(store.head("k").info().version(), result.version());
        assertEquals(driver.appliedWriteIds().get(0), result.writeId().orElseThrow());
    }

    @Test
    void aPlainCompareAndSwapProvenNotAppliedIsSentAgain() {
        ContentHashDriver driver = new ContentHashDriver();
        ObjectStore store = ObjectStore.of(driver);
        ObjectVersion base = store.put("k", bytes("a")).version();
        driver.script(n -> n == 2 ? Fault.UNKNOWN_WITHOUT_APPLYING : Fault.NONE);
        PutResult result = store.put("k", bytes("b"), PutOptions.of(PutMode.update(base)));
        assertEquals(3, driver.puts(), "seed, the lost one, the resend");
        assertEquals(2, driver.applied());
        assertEquals(store.head("k").info().version(), result.version());
    }

    @Test
    void anUnsettleableCreateIsNotSentAgainWhateverTheCallersRetryConfigSays() {
        // RetryConfig.ofDefaults() retries every exception: the store must still never resend.
        ContentHashDriver driver = new ContentHashDriver().script(n -> n == 1 ? Fault.UNKNOWN_WITHOUT_APPLYING : Fault.NONE);
        ObjectStore store = ObjectStore.of(driver, RetryConfig.ofDefaults());
        assertThrows(OutcomeUnknownException.class, () -> store.put("k", bytes("v"), PutOptions.of(PutMode.create())));
        assertEquals(1, driver.puts(), "absent again may mean landed and deleted: never re-sent");
    }

    @Test
    void aCallersRetryConfigStillRetriesFailuresThatDidNotApply() {
        AtomicInteger calls = new AtomicInteger();
        ContentHashDriver driver = new ContentHashDriver();
        ObjectStore store = ObjectStore.of(driver, RetryConfig.custom().maxAttempts(3).waitDuration(java.time.Duration.ofMillis(1))
                .retryOnException(t -> calls.incrementAndGet() > 0).build());
        driver.failNextReads(2);
        assertThrows(ObjectNotFoundException.class, () -> store.get("missing"));
        assertEquals(3, driver.reads(), "two transient failures retried, then the answer");
    }

    @Test
    void anAcknowledgementWithoutAnETagIsNeverCreditedWithSomeoneElsesVersion() {
        ContentHashDriver driver = new ContentHashDriver();
        ObjectStore store = ObjectStore.of(driver);
        ObjectStore plain = ObjectStore.of(driverWithoutFaults(driver));
        driver.script(n -> n == 1 ? Fault.APPLY_WITHOUT_ETAG : Fault.NONE)
                .interleave(() -> plain.put("k", bytes("someone else")));
        PutResult mine = store.put("k", bytes("mine"));
        assertTrue(mine.version().isUnknown(), "the current version is someone else's");
        assertTrue(mine.isSuperseded());
        assertFalse(mine.version().sameAs(store.head("k").info().version()));

        ContentHashDriver alone = new ContentHashDriver().script(n -> Fault.APPLY_WITHOUT_ETAG);
        ObjectStore single = ObjectStore.of(alone);
        PutResult only = single.put("k", bytes("v"));
        assertEquals(single.head("k").info().version(), only.version(), "its own version is found by its write id");
    }

    @Test
    void bookkeepingIsHiddenReservedAndBudgetedBeforeAnythingIsSent() {
        ContentHashDriver driver = new ContentHashDriver();
        ObjectStore store = ObjectStore.of(driver);
        for (int i = 0; i < 40; i++) {
            store.update("k", add(1), UpdateOptions.builder().metadata("app", "x").build());
        }
        Map<String, String> visible = store.head("k").info().userMetadata();
        assertEquals(Map.of("app", "x"), visible, "no leasehold_* names in what callers see");

        // Copying the metadata back with a large field works within the published budget.
        String big = "y".repeat(ObjectStore.MAX_USER_METADATA_BYTES - "app".length() - 1 - "big".length());
        PutOptions.Builder copy = PutOptions.builder().userMetadata(visible).metadata("big", big);
        store.put("k", bytes("1"), copy.build());
        UpdateOptions sameForUpdate = UpdateOptions.builder().metadata("app", "x").metadata("big", big).build();
        store.update("k", add(0), sameForUpdate);

        int putsBefore = driver.puts();
        int readsBefore = driver.reads();
        InvalidArgumentException tooBig = assertThrows(InvalidArgumentException.class, () -> store.update("k", add(1),
                UpdateOptions.builder().metadata("big", big + "zzzz").metadata("app", "x").build()));
        assertEquals("userMetadata", tooBig.field());
        InvalidArgumentException reserved = assertThrows(InvalidArgumentException.class,
                () -> store.put("k", bytes("v"), PutOptions.builder().metadata("leasehold_w", "0123456789abcdef").build()));
        assertTrue(reserved.getMessage().contains("reserved"));
        assertEquals(putsBefore, driver.puts(), "nothing was sent");
        assertEquals(readsBefore, driver.reads(), "not even a read");
        assertArrayEquals(bytes("1"), store.get("k").content());
    }

    @Test
    void aResentPutRefusedBecauseItsFirstSendLandedLateIsASuccess() {
        // The first send times out; the settlement read proves it has not landed (its base is still
        // current), so the same request is sent again. Meanwhile the server finishes the first send:
        // the re-sent If-Match is refused. That refusal is our own write, found by its write id.
        ContentHashDriver driver = new ContentHashDriver();
        ObjectStore store = ObjectStore.of(driver);
        PutResult base = store.put("k", bytes("0"));
        driver.script(n -> n == 2 ? Fault.LAND_LATE : Fault.NONE);
        PutResult put = store.put("k", bytes("1"), PutOptions.of(PutMode.update(base.version())));
        assertEquals(3, driver.puts(), "sent, settled as not landed, sent again");
        assertEquals(2, driver.applied(), "the create and one application of the update");
        assertEquals(1, value(store, "k"));
        assertTrue(store.get("k").info().version().sameAs(put.version()));
    }

    @Test
    void aResentCommitRefusedBecauseItsFirstSendLandedLateIsASuccess() {
        ContentHashDriver driver = new ContentHashDriver();
        ObjectStore store = ObjectStore.of(driver);
        PutResult base = store.put("k", bytes("0"));
        driver.script(n -> n == 2 ? Fault.LAND_LATE : Fault.NONE);
        // Parts of 2 bytes: "123456" is staged in three parts and committed as one put.
        PutResult put = store.put("k", new java.io.ByteArrayInputStream(bytes("123456")), 6,
                PutOptions.of(PutMode.update(base.version())), TransferOptions.builder().partSize(2).build());
        assertEquals(2, driver.applied());
        assertEquals(123456, value(store, "k"));
        assertTrue(store.get("k").info().version().sameAs(put.version()));
    }

    /** A second view of the same objects without the scripted faults (the other writers). */
    private static io.leasehold.spi.StoreDriver driverWithoutFaults(ContentHashDriver driver) {
        return new io.leasehold.spi.StoreDriver() {
            @Override
            public String name() {
                return "other-writer";
            }

            @Override
            public Capabilities capabilities() {
                return driver.capabilities();
            }

            @Override
            public io.leasehold.spi.PutResponse put(String key, byte[] content, PutOptions options) {
                return driver.putUnscripted(key, content, options);
            }

            @Override
            public io.leasehold.spi.GetResponse get(String key, GetOptions options, boolean withContent) {
                return driver.get(key, options, withContent);
            }

            @Override
            public void delete(String key, DeleteOptions options) {
                driver.delete(key, options);
            }
        };
    }
}
