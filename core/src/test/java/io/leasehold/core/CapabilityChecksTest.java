package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.testing.RecordingDriver;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A missing capability gives NotSupportedException before anything is sent: never a silent fallback. */
class CapabilityChecksTest {
    private static final ObjectVersion SOME_VERSION = ObjectVersion.of("v1");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Capability.PUT_IF_ABSENT, (Consumer<ObjectStore>) s ->
                        s.put("k", new byte[1], PutOptions.of(PutMode.create()))),
                Arguments.of(Capability.PUT_IF_MATCH, (Consumer<ObjectStore>) s ->
                        s.put("k", new byte[1], PutOptions.of(PutMode.update(SOME_VERSION)))),
                Arguments.of(Capability.PUT_IF_PRESENT, (Consumer<ObjectStore>) s ->
                        s.put("k", new byte[1], PutOptions.of(PutMode.replace()))),
                Arguments.of(Capability.PUT_IF_MODIFIED_SINCE, (Consumer<ObjectStore>) s ->
                        s.put("k", new byte[1], PutOptions.builder().ifModifiedSince(Instant.EPOCH).build())),
                Arguments.of(Capability.PUT_IF_UNMODIFIED_SINCE, (Consumer<ObjectStore>) s ->
                        s.put("k", new byte[1], PutOptions.builder().ifUnmodifiedSince(Instant.EPOCH).build())),
                Arguments.of(Capability.USER_METADATA, (Consumer<ObjectStore>) s ->
                        s.put("k", new byte[1], PutOptions.builder().metadata("a", "b").build())),
                Arguments.of(Capability.GET_IF_MATCH, (Consumer<ObjectStore>) s ->
                        s.get("k", GetOptions.builder().ifMatch(SOME_VERSION).build())),
                Arguments.of(Capability.GET_IF_MATCH, (Consumer<ObjectStore>) s ->
                        s.head("k", GetOptions.builder().ifMatch(SOME_VERSION).build())),
                Arguments.of(Capability.GET_IF_NONE_MATCH, (Consumer<ObjectStore>) s ->
                        s.get("k", GetOptions.builder().ifNoneMatch(SOME_VERSION).build())),
                Arguments.of(Capability.GET_IF_MODIFIED_SINCE, (Consumer<ObjectStore>) s ->
                        s.get("k", GetOptions.builder().ifModifiedSince(Instant.EPOCH).build())),
                Arguments.of(Capability.GET_IF_UNMODIFIED_SINCE, (Consumer<ObjectStore>) s ->
                        s.head("k", GetOptions.builder().ifUnmodifiedSince(Instant.EPOCH).build())),
                Arguments.of(Capability.STRONG_READS, (Consumer<ObjectStore>) s ->
                        s.get("k", GetOptions.builder().consistency(ReadConsistency.STRONG).build())),
                Arguments.of(Capability.STRONG_READS, (Consumer<ObjectStore>) s ->
                        s.put("k", new byte[1], PutOptions.builder().mode(PutMode.create()).consistency(ReadConsistency.STRONG).build())),
                Arguments.of(Capability.DELETE_IF_MATCH, (Consumer<ObjectStore>) s ->
                        s.delete("k", DeleteOptions.ifMatch(SOME_VERSION))),
                Arguments.of(Capability.LEASES, (Consumer<ObjectStore>) s ->
                        s.put("k", new byte[1], PutOptions.builder().leaseId("lease-1").build())),
                Arguments.of(Capability.LEASES, (Consumer<ObjectStore>) s ->
                        s.get("k", GetOptions.builder().leaseId("lease-1").build())),
                Arguments.of(Capability.LEASES, (Consumer<ObjectStore>) s ->
                        s.delete("k", DeleteOptions.builder().leaseId("lease-1").build())),
                Arguments.of(Capability.LEASES, (Consumer<ObjectStore>) s ->
                        s.update("k", b -> b, UpdateOptions.builder().leaseId("lease-1").build())),
                Arguments.of(Capability.PUT_IF_ABSENT, (Consumer<ObjectStore>) s -> s.update("k", b -> b)),
                Arguments.of(Capability.PUT_IF_MATCH, (Consumer<ObjectStore>) s -> s.update("k", b -> b)));
    }

    @ParameterizedTest(name = "without {0}")
    @MethodSource("cases")
    void missingCapabilityIsRefusedBeforeSending(Capability missing, Consumer<ObjectStore> call) {
        RecordingDriver driver = new RecordingDriver(MemoryDriver.create().capabilities().with(Capability.LEASES).without(missing));
        ObjectStore store = ObjectStore.of(driver);
        NotSupportedException e = assertThrows(NotSupportedException.class, () -> call.accept(store));
        assertEquals(ErrorCode.NOT_SUPPORTED, e.code());
        assertTrue(e.getMessage().contains(missing.name()), e.getMessage());
        assertEquals(List.of(), driver.calls(), "nothing may reach the driver");
    }

    @Test
    void eventualConditionalPutNeedsNoStrongReads() {
        RecordingDriver driver = new RecordingDriver(MemoryDriver.create().capabilities().without(Capability.STRONG_READS));
        ObjectStore store = ObjectStore.of(driver);
        store.put("k", new byte[1], PutOptions.builder().mode(PutMode.create()).consistency(ReadConsistency.EVENTUAL).build());
        store.put("k", new byte[1]);
        // update falls back to the strongest consistency the driver has
        assertEquals(1, store.update("k", b -> new byte[] {2}).attempts());
        assertEquals(List.of("put k", "put k", "get k", "put k"), driver.calls());
    }

    @Test
    void capabilitiesAreData() {
        Capabilities c = Capabilities.of(Capability.PUT_IF_ABSENT);
        assertTrue(c.supports(Capability.PUT_IF_ABSENT));
        assertEquals(Capabilities.of(), c.without(Capability.PUT_IF_ABSENT));
        assertEquals(c, Capabilities.of(java.util.Set.of(Capability.PUT_IF_ABSENT)));
        assertEquals(Capability.values().length, Capabilities.all().asSet().size());
        assertThrows(UnsupportedOperationException.class, () -> c.asSet().add(Capability.LEASES));
    }
}
