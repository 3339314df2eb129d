package io.leasehold.core.probe;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.probe.ProbeFinding.Verdict;
import io.leasehold.driver.file.FileDriver;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.StoreDriver;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portable probe on the embedded stores (which must be found faithful, matching their own
 * declarations) and on two faithless drivers over memory: one that drops every condition, one that
 * evaluates create-if-absent and If-Match check-then-act. Nothing is mocked: the drivers really
 * behave that way.
 */
class StoreProbeTest {
    private static final Set<Capability> FAITHFUL = EnumSet.of(Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH,
            Capability.PUT_IF_PRESENT, Capability.PUT_IF_MODIFIED_SINCE, Capability.PUT_IF_UNMODIFIED_SINCE,
            Capability.GET_IF_MATCH, Capability.GET_IF_NONE_MATCH, Capability.GET_IF_MODIFIED_SINCE,
            Capability.GET_IF_UNMODIFIED_SINCE, Capability.DELETE_IF_MATCH, Capability.STRONG_READS,
            Capability.USER_METADATA, Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE);

    @Test
    void memoryIsFaithfulAndMatchesItsDeclaration() {
        Tracking tracking = new Tracking(MemoryDriver.create(), Mode.FAITHFUL);
        ProbeReport report = StoreProbe.run(ObjectStore.of(tracking));
        assertFaithful(report, "tracking-memory");
        tracking.assertScratchRemoved();
    }

    @Test
    void fileIsFaithfulAndMatchesItsDeclaration(@TempDir Path dir) {
        try (ObjectStore store = ObjectStore.of(FileDriver.open(dir))) {
            ProbeReport report = StoreProbe.run(store);
            assertFaithful(report, "file");
            System.out.print(report.toTable());
        }
    }

    @Test
    void aDriverThatDropsConditionsIsFlaggedAndReadModifyWriteIsUnsafe() {
        ProbeReport report = StoreProbe.run(ObjectStore.of(new Tracking(MemoryDriver.create(), Mode.IGNORES_CONDITIONS)));
        System.out.print(report.toTable());
        assertEquals(Verdict.IGNORED, verdict(report, "create-if-absent (If-None-Match: *)"));
        assertEquals(Verdict.IGNORED, verdict(report, "If-Match, stale ETag"));
        assertEquals(Verdict.IGNORED, verdict(report, "If-Match on a missing key"));
        assertEquals(Verdict.IGNORED, verdict(report, "delete If-Match, stale ETag"));
        assertFalse(report.readModifyWriteSafe());
        assertFalse(report.capabilities().supports(Capability.PUT_IF_ABSENT));
        assertFalse(report.capabilities().supports(Capability.PUT_IF_MATCH));
        assertFalse(report.capabilities().supports(Capability.DELETE_IF_MATCH));
        assertTrue(report.matchingProfile().isEmpty(), "it declares what it does not do");
        assertTrue(report.requests() <= 200, report.requests() + " requests");
    }

    @Test
    void checkThenActConditionalWritesAreNotAtomic() {
        ProbeReport report = StoreProbe.run(ObjectStore.of(new Tracking(MemoryDriver.create(), Mode.CHECK_THEN_ACT)));
        System.out.print(report.toTable());
        assertEquals(Verdict.HONOURED, verdict(report, "create-if-absent (If-None-Match: *)"), "one writer at a time is fine");
        assertEquals(Verdict.NOT_ATOMIC, verdict(report, "create race (16 racers)"));
        assertEquals(Verdict.NOT_ATOMIC, verdict(report, "If-Match race (16 racers)"));
        assertFalse(report.readModifyWriteSafe());
        assertTrue(report.requests() <= 200, report.requests() + " requests");
    }

    @Test
    void theBudgetBoundsTheProbeAndWhatDidNotFitIsNotDeclared() {
        Tracking tracking = new Tracking(MemoryDriver.create(), Mode.FAITHFUL);
        ProbeReport report = StoreProbe.run(ObjectStore.of(tracking), ProbeOptions.builder().requestBudget(60).build());
        System.out.print(report.toTable());
        assertTrue(report.requests() <= 60, report.requests() + " requests");
        assertEquals(report.requests(), tracking.calls.size());
        assertFalse(report.readModifyWriteSafe(), "the races did not fit, so atomicity is unproven");
        tracking.assertScratchRemoved();
    }

    @Test
    void optionsAreValidated() {
        assertThrows(InvalidArgumentException.class, () -> ProbeOptions.builder().racers(15));
        assertThrows(InvalidArgumentException.class, () -> ProbeOptions.builder().requestBudget(201));
        assertThrows(InvalidArgumentException.class, () -> ProbeOptions.builder().rounds(0));
        assertEquals("scratch/", ProbeOptions.builder().scratchPrefix("scratch").build().scratchPrefix());
    }

    private static void assertFaithful(ProbeReport report, String profile) {
        for (ProbeFinding f : report.findings()) {
            assertTrue(EnumSet.of(Verdict.HONOURED, Verdict.ATOMIC, Verdict.INTACT, Verdict.CHANGES, Verdict.PRESERVED,
                    Verdict.OBSERVED).contains(f.verdict()), f.toString());
        }
        assertEquals(FAITHFUL, report.capabilities().asSet());
        assertTrue(report.readModifyWriteSafe());
        assertEquals(profile, report.matchingProfile().orElseThrow());
        assertTrue(report.requests() <= 200, report.requests() + " requests");
        assertTrue(report.toTable().contains("read-modify-write: safe"));
    }

    private static Verdict verdict(ProbeReport report, String check) {
        return report.finding(check).orElseThrow(() -> new AssertionError("no finding " + check + " in\n"
                + report.toTable())).verdict();
    }

    private enum Mode { FAITHFUL, IGNORES_CONDITIONS, CHECK_THEN_ACT }

    /** Memory with every capability declared, honoured, dropped or evaluated check-then-act; records keys. */
    private static final class Tracking implements StoreDriver {
        private final MemoryDriver target;
        private final Mode mode;
        final Set<String> keys = ConcurrentHashMap.newKeySet();
        final java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

        Tracking(MemoryDriver target, Mode mode) {
            this.target = target;
            this.mode = mode;
        }

        @Override
        public String name() {
            return "tracking-memory";
        }

        @Override
        public Capabilities capabilities() {
            return target.capabilities();
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            calls.add("put");
            keys.add(key);
            if (mode == Mode.IGNORES_CONDITIONS) {
                return target.put(key, content, plain(options));
            }
            if (mode == Mode.CHECK_THEN_ACT && options.mode().kind() != PutMode.Kind.OVERWRITE) {
                if (options.mode().kind() == PutMode.Kind.CREATE && exists(key)) {
                    throw new ObjectAlreadyExistsException(key, "exists", null);
                }
                if (options.mode().kind() != PutMode.Kind.CREATE) {
                    if (!exists(key)) {
                        throw new PreconditionFailedException(key, "missing", null);
                    }
                    options.mode().expected().ifPresent(v -> target.get(key, GetOptions.builder().ifMatch(v).build(), false));
                }
                pause();
                return target.put(key, content, plain(options));
            }
            return target.put(key, content, options);
        }

        private static PutOptions plain(PutOptions options) {
            PutOptions.Builder b = PutOptions.builder();
            options.userMetadata().forEach(b::metadata);
            return b.build();
        }

        private boolean exists(String key) {
            try {
                target.get(key, GetOptions.defaults(), false);
                return true;
            } catch (ObjectNotFoundException e) {
                return false;
            }
        }

        private static void pause() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            calls.add("get");
            return target.get(key, options, withContent);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            calls.add("delete");
            target.delete(key, mode == Mode.IGNORES_CONDITIONS ? DeleteOptions.defaults() : options);
        }

        void assertScratchRemoved() {
            assertFalse(keys.isEmpty());
            for (String key : keys) {
                assertTrue(key.startsWith(ProbeOptions.DEFAULT_SCRATCH_PREFIX), key);
                assertThrows(ObjectNotFoundException.class, () -> target.get(key, GetOptions.defaults(), false), key);
            }
        }
    }
}
