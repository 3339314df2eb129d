package io.leasehold.core.probe;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.ReadConsistency;
import io.leasehold.core.probe.ProbeFinding.Verdict;
import io.leasehold.spi.StoreDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The probe that works through any driver: it measures what the driver, and the store behind it,
 * actually do with each condition, using the portable API (a facade over the driver, so options the
 * driver does not declare are refused before sending and reported {@link Verdict#UNSUPPORTED}).
 * Requests are counted as driver calls. Not thread-safe: one instance runs one probe.
 */
final class PortableProbe {
    /** Driver calls kept back for cleanup. */
    private static final int CLEANUP_RESERVE = 16;
    private static final Duration DAY = Duration.ofDays(1);
    /** Every capability this probe can give evidence for; the others are not its business. */
    static final Set<Capability> PROBED = EnumSet.of(Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH,
            Capability.PUT_IF_PRESENT, Capability.PUT_IF_MODIFIED_SINCE, Capability.PUT_IF_UNMODIFIED_SINCE,
            Capability.GET_IF_MATCH, Capability.GET_IF_NONE_MATCH, Capability.GET_IF_MODIFIED_SINCE,
            Capability.GET_IF_UNMODIFIED_SINCE, Capability.DELETE_IF_MATCH, Capability.STRONG_READS,
            Capability.VERSION_IDS, Capability.USER_METADATA, Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE);

    private final StoreDriver driver;
    private final ProbeOptions options;
    private final Counting counting;
    private final ObjectStore store;
    private final String base;
    private final ProbeReport.Builder report;
    private final Set<Capability> measured = EnumSet.noneOf(Capability.class);
    private final Set<String> written = new LinkedHashSet<>();
    private final Random random = new Random();
    private final ReadConsistency consistency;
    private boolean staleReadSeen;
    private volatile boolean versionIdsSeen;

    PortableProbe(StoreDriver driver, ProbeOptions options) {
        this.driver = driver;
        this.options = options;
        this.counting = new Counting(driver, options.requestBudget());
        this.store = ObjectStore.of(counting);
        this.base = options.scratchPrefix() + UUID.randomUUID() + "/";
        this.report = ProbeReport.builder(driver.name() + " driver (portable probe through the driver)");
        this.consistency = driver.capabilities().supports(Capability.STRONG_READS)
                ? ReadConsistency.STRONG : ReadConsistency.EVENTUAL;
    }

    ProbeReport run() {
        try {
            boolean intact = section(this::transfer, false);
            Optional<PutResult> created = section(this::createIfAbsent, Optional.empty());
            section(() -> {
                rewrite(created);
                return null;
            }, null);
            boolean ifMatch = section(this::ifMatch, false);
            boolean creates = intact && verdictIs("create-if-absent (If-None-Match: *)", Verdict.HONOURED)
                    && section(() -> race("create race", Capability.PUT_IF_ABSENT, this::createRound), false);
            boolean updates = intact && ifMatch
                    && section(() -> race("If-Match race", Capability.PUT_IF_MATCH, this::ifMatchRound), false);
            addIf(creates, Capability.PUT_IF_ABSENT);
            addIf(updates, Capability.PUT_IF_MATCH);
            section(() -> {
                replaceIfPresent(updates);
                putDates(updates);
                return null;
            }, null);
            section(() -> {
                reads();
                return null;
            }, null);
            section(() -> {
                metadata();
                return null;
            }, null);
            section(() -> {
                deletes();
                return null;
            }, null);
        } finally {
            cleanup();
        }
        if (versionIdsSeen) {
            measured.add(Capability.VERSION_IDS);
        }
        report.add("version ids", Verdict.OBSERVED, versionIdsSeen ? "returned" : "none");
        if (!staleReadSeen && consistency == ReadConsistency.STRONG) {
            measured.add(Capability.STRONG_READS);
        }
        report.add("read after write", Verdict.OBSERVED, staleReadSeen ? "a read returned an older version"
                : consistency == ReadConsistency.STRONG ? "every read saw the latest write" : "strong reads not offered");
        Set<Capability> declared = EnumSet.noneOf(Capability.class);
        declared.addAll(driver.capabilities().asSet());
        declared.retainAll(PROBED);
        Set<Capability> missing = EnumSet.copyOf(declared);
        missing.removeAll(measured);
        report.add("declared capabilities", missing.isEmpty() ? Verdict.HONOURED : Verdict.INCONCLUSIVE, missing.isEmpty()
                ? "every probed capability the driver declares was measured"
                : "declared without evidence: " + missing);
        report.matchingProfile(missing.isEmpty() ? driver.name() : null);
        report.capabilities(Capabilities.of(measured));
        report.requests(counting.calls.get());
        return report.build();
    }

    // ------------------------------------------------------------------ checks

    private boolean transfer() {
        byte[] binary = new byte[4096];
        random.nextBytes(binary);
        String key = key("bytes");
        Outcome<Boolean> same = attempt(() -> roundTrip(key, binary) && roundTrip(key, new byte[0]));
        if (same.value == null) {
            report.add("bytes written = bytes read", Verdict.ALTERED, "put/get failed: " + same.failure);
            return false;
        }
        report.add("bytes written = bytes read", same.value ? Verdict.INTACT : Verdict.ALTERED,
                "4 KiB of random bytes and an empty object" + (same.value ? "" : ": different bytes came back"));
        return same.value;
    }

    private boolean roundTrip(String key, byte[] content) {
        put(key, content, PutOptions.defaults());
        return Arrays.equals(content, store.get(key, read().build()).content());
    }

    private Optional<PutResult> createIfAbsent() {
        String check = "create-if-absent (If-None-Match: *)";
        String key = key("create");
        Outcome<PutResult> first = attempt(() -> put(key, text("first"), PutOptions.of(PutMode.create())));
        if (first.value == null) {
            report.add(check, first.unsupported ? Verdict.UNSUPPORTED : Verdict.REFUSED, "on an absent key: " + first.failure);
            return Optional.empty();
        }
        Outcome<PutResult> second = attempt(() -> put(key, text("second"), PutOptions.of(PutMode.create())));
        String now = currentText(key);
        if (second.value != null || !"first".equals(now)) {
            report.add(check, Verdict.IGNORED, "second create on a present key: "
                    + (second.value != null ? "succeeded" : second.failure) + "; content now '" + now + "'");
        } else if (second.code == ErrorCode.ALREADY_EXISTS) {
            report.add(check, Verdict.HONOURED, "second create: ALREADY_EXISTS, content unchanged");
        } else {
            report.add(check, Verdict.REFUSED, "second create: " + second.failure);
        }
        return Optional.of(first.value);
    }

    private void rewrite(Optional<PutResult> created) {
        String check = "ETag on identical rewrite";
        if (created.isEmpty()) {
            String key = key("create");
            Outcome<PutResult> plain = attempt(() -> put(key, text("first"), PutOptions.defaults()));
            if (plain.value == null) {
                report.add(check, Verdict.SKIPPED, "put failed: " + plain.failure);
                return;
            }
            created = Optional.of(plain.value);
        }
        ObjectVersion before = created.get().version();
        Outcome<PutResult> again = attempt(() -> put(key("create"), text("first"), PutOptions.defaults()));
        if (again.value == null) {
            report.add(check, Verdict.SKIPPED, "put failed: " + again.failure);
            return;
        }
        boolean changes = !again.value.version().etag().equals(before.etag());
        report.add(check, changes ? Verdict.CHANGES : Verdict.UNCHANGED, before.etag().value()
                + (changes ? " -> " + again.value.version().etag().value() : " both times"));
        if (changes) {
            measured.add(Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE);
        }
    }

    /** The If-Match checks on one key; true if If-Match is honoured in at least one ETag form. */
    private boolean ifMatch() {
        String key = key("if-match");
        Outcome<PutResult> seed = attempt(() -> put(key, text("v1"), PutOptions.defaults()));
        if (seed.value == null) {
            report.add("If-Match, stale ETag", Verdict.SKIPPED, "seed put failed: " + seed.failure);
            return false;
        }
        ObjectVersion current = seed.value.version();
        boolean anyForm = false;
        for (boolean quoted : new boolean[] {true, false}) {
            String check = "If-Match, " + (quoted ? "quoted" : "unquoted") + " ETag";
            String form = quoted ? current.etag().quoted() : current.etag().value();
            Outcome<PutResult> r = attempt(() -> put(key, text("v-" + form), PutOptions.of(PutMode.update(ObjectVersion.of(form)))));
            if (r.value != null) {
                report.add(check, Verdict.HONOURED, "current ETag " + form + ": written");
                current = r.value.version();
                anyForm = true;
            } else {
                report.add(check, r.unsupported ? Verdict.UNSUPPORTED : Verdict.REFUSED, "current ETag " + form + ": " + r.failure);
            }
        }
        if (!anyForm) {
            report.add("If-Match, stale ETag", Verdict.SKIPPED, "no ETag form is accepted");
            return false;
        }
        ObjectVersion stale = seed.value.version();
        String before = currentText(key);
        Outcome<PutResult> r = attempt(() -> put(key, text("stale"), PutOptions.of(PutMode.update(stale))));
        boolean staleHonoured = r.code == ErrorCode.PRECONDITION_FAILED && before.equals(currentText(key));
        report.add("If-Match, stale ETag", staleHonoured ? Verdict.HONOURED : r.value != null ? Verdict.IGNORED : Verdict.REFUSED,
                r.value != null ? "written over a newer version" : String.valueOf(r.failure));
        String missing = key("if-match-missing");
        Outcome<PutResult> m = attempt(() -> put(missing, text("x"), PutOptions.of(PutMode.update(stale))));
        boolean missingHonoured = m.code == ErrorCode.PRECONDITION_FAILED;
        report.add("If-Match on a missing key", missingHonoured ? Verdict.HONOURED : m.value != null ? Verdict.IGNORED
                : Verdict.REFUSED, m.value != null ? "created the key" : String.valueOf(m.failure));
        return staleHonoured && missingHonoured;
    }

    private void replaceIfPresent(boolean atomicIfMatch) {
        String check = "replace-if-present";
        String key = key("replace");
        Outcome<PutResult> onMissing = attempt(() -> put(key, text("x"), PutOptions.of(PutMode.replace())));
        if (onMissing.unsupported) {
            report.add(check, Verdict.UNSUPPORTED, onMissing.failure);
            return;
        }
        if (onMissing.value != null) {
            report.add(check, Verdict.IGNORED, "on a missing key: written");
            return;
        }
        Outcome<PutResult> onPresent = attempt(() -> {
            put(key, text("v1"), PutOptions.defaults());
            return put(key, text("v2"), PutOptions.of(PutMode.replace()));
        });
        boolean honoured = onMissing.code == ErrorCode.PRECONDITION_FAILED && onPresent.value != null;
        report.add(check, honoured ? Verdict.HONOURED : Verdict.REFUSED, "missing key: " + onMissing.failure
                + "; present key: " + (onPresent.value != null ? "written" : onPresent.failure));
        if (honoured && atomicIfMatch) {
            measured.add(Capability.PUT_IF_PRESENT);
        }
    }

    private void putDates(boolean atomicIfMatch) {
        String key = key("dates");
        Outcome<PutResult> seed = attempt(() -> put(key, text("v1"), PutOptions.defaults()));
        if (seed.value == null) {
            report.add("put If-Unmodified-Since", Verdict.SKIPPED, "seed put failed: " + seed.failure);
            return;
        }
        Instant modified = store.head(key, read().build()).info().lastModified();
        dateCheck("put If-Unmodified-Since", Capability.PUT_IF_UNMODIFIED_SINCE, atomicIfMatch,
                () -> put(key, text("past"), PutOptions.builder().ifUnmodifiedSince(modified.minus(DAY)).build()),
                () -> put(key, text("future"), PutOptions.builder().ifUnmodifiedSince(Instant.now().plus(DAY)).build()));
        dateCheck("put If-Modified-Since", Capability.PUT_IF_MODIFIED_SINCE, atomicIfMatch,
                () -> put(key, text("future"), PutOptions.builder().ifModifiedSince(Instant.now().plus(DAY)).build()),
                () -> put(key, text("past"), PutOptions.builder().ifModifiedSince(modified.minus(DAY)).build()));
    }

    private void dateCheck(String check, Capability capability, boolean atomicIfMatch, Supplier<PutResult> falseCondition,
                           Supplier<PutResult> trueCondition) {
        Outcome<PutResult> no = attempt(falseCondition);
        if (no.unsupported) {
            report.add(check, Verdict.UNSUPPORTED, no.failure);
            return;
        }
        Outcome<PutResult> yes = attempt(trueCondition);
        boolean honoured = no.code == ErrorCode.PRECONDITION_FAILED && yes.value != null;
        report.add(check, honoured ? Verdict.HONOURED : no.value != null ? Verdict.IGNORED : Verdict.REFUSED,
                "false: " + (no.value != null ? "written" : no.failure) + "; true: " + (yes.value != null ? "written" : yes.failure));
        if (honoured && atomicIfMatch) {
            measured.add(capability);
        }
    }

    private void reads() {
        String key = key("reads");
        Outcome<PutResult> seed = attempt(() -> put(key, text("read me"), PutOptions.defaults()));
        if (seed.value == null) {
            report.add("get If-Match", Verdict.SKIPPED, "seed put failed: " + seed.failure);
            return;
        }
        ObjectVersion v = seed.value.version();
        Instant modified = store.head(key, read().build()).info().lastModified();
        ETag stale = ETag.strong("0123456789abcdef0123456789abcdef");
        boolean ifMatch = readCheck("get If-Match", key, true, read().ifMatch(v), Expect.FOUND, read().ifMatch(stale), Expect.FAILED);
        boolean ifNoneMatch = readCheck("get If-None-Match", key, true, read().ifNoneMatch(v), Expect.NOT_MODIFIED,
                read().ifNoneMatch(stale), Expect.FOUND);
        boolean ifModified = readCheck("get If-Modified-Since", key, true, read().ifModifiedSince(modified), Expect.NOT_MODIFIED,
                read().ifModifiedSince(modified.minus(DAY)), Expect.FOUND);
        boolean ifUnmodified = readCheck("get If-Unmodified-Since", key, true, read().ifUnmodifiedSince(modified.minus(DAY)),
                Expect.FAILED, read().ifUnmodifiedSince(modified.plus(DAY)), Expect.FOUND);
        ifMatch &= readCheck("get If-Match: *", key, true, read().ifMatch(ETag.ANY), Expect.FOUND, null, null);
        ifNoneMatch &= readCheck("get If-None-Match: *", key, true, read().ifNoneMatch(ETag.ANY), Expect.NOT_MODIFIED, null, null);
        ifMatch &= readCheck("head If-Match", key, false, read().ifMatch(v), Expect.FOUND, read().ifMatch(stale), Expect.FAILED);
        ifNoneMatch &= readCheck("head If-None-Match", key, false, read().ifNoneMatch(v), Expect.NOT_MODIFIED,
                read().ifNoneMatch(stale), Expect.FOUND);
        addIf(ifMatch, Capability.GET_IF_MATCH);
        addIf(ifNoneMatch, Capability.GET_IF_NONE_MATCH);
        addIf(ifModified, Capability.GET_IF_MODIFIED_SINCE);
        addIf(ifUnmodified, Capability.GET_IF_UNMODIFIED_SINCE);
    }

    private enum Expect { FOUND, NOT_MODIFIED, FAILED }

    private boolean readCheck(String check, String key, boolean withContent, GetOptions.Builder first, Expect firstExpected,
                              GetOptions.Builder second, Expect secondExpected) {
        Outcome<Expect> a = attempt(() -> readOutcome(key, first, withContent));
        if (a.unsupported) {
            report.add(check, Verdict.UNSUPPORTED, a.failure);
            return false;
        }
        Outcome<Expect> b = second == null ? null : attempt(() -> readOutcome(key, second, withContent));
        boolean honoured = a.value == firstExpected && (b == null || b.value == secondExpected);
        boolean ignored = a.value == Expect.FOUND && firstExpected != Expect.FOUND
                || b != null && b.value == Expect.FOUND && secondExpected != Expect.FOUND;
        String detail = "expected " + describe(firstExpected) + ", got " + describe(a)
                + (b == null ? "" : "; expected " + describe(secondExpected) + ", got " + describe(b));
        report.add(check, honoured ? Verdict.HONOURED : ignored ? Verdict.IGNORED : Verdict.REFUSED, detail);
        return honoured;
    }

    private Expect readOutcome(String key, GetOptions.Builder options, boolean withContent) {
        try {
            GetResult r = withContent ? store.get(key, options.build()) : store.head(key, options.build());
            return r.isNotModified() ? Expect.NOT_MODIFIED : Expect.FOUND;
        } catch (PreconditionFailedException e) {
            return Expect.FAILED;
        }
    }

    private static String describe(Expect e) {
        return e == Expect.FOUND ? "the object" : e == Expect.NOT_MODIFIED ? "not modified" : "precondition failed";
    }

    private static String describe(Outcome<Expect> o) {
        return o.value != null ? describe(o.value) : String.valueOf(o.failure);
    }

    private void metadata() {
        String check = "metadata name with '_'";
        String key = key("metadata");
        Outcome<Map<String, String>> r = attempt(() -> {
            put(key, text("m"), PutOptions.builder().metadata("probe_meta_name", "v1").build());
            return store.head(key, read().build()).info().userMetadata();
        });
        if (r.value == null) {
            report.add(check, r.unsupported ? Verdict.UNSUPPORTED : Verdict.REFUSED, r.failure);
        } else if ("v1".equals(r.value.get("probe_meta_name"))) {
            report.add(check, Verdict.PRESERVED, "probe_meta_name");
            measured.add(Capability.USER_METADATA);
        } else if (r.value.containsValue("v1")) {
            report.add(check, Verdict.MANGLED, "probe_meta_name came back as " + r.value.keySet());
        } else {
            report.add(check, Verdict.LOST, "came back: " + r.value.keySet());
        }
    }

    private void deletes() {
        String check = "delete If-Match, stale ETag";
        String key = key("delete");
        Outcome<PutResult> seed = attempt(() -> put(key, text("v1"), PutOptions.defaults()));
        if (seed.value == null) {
            report.add(check, Verdict.SKIPPED, "seed put failed: " + seed.failure);
            return;
        }
        Outcome<PutResult> newer = attempt(() -> put(key, text("v2"), PutOptions.defaults()));
        boolean conditional = false;
        if (newer.value != null && !newer.value.version().etag().equals(seed.value.version().etag())) {
            Outcome<Boolean> stale = attempt(() -> {
                store.delete(key, DeleteOptions.ifMatch(seed.value.version()));
                return true;
            });
            if (stale.unsupported) {
                report.add(check, Verdict.UNSUPPORTED, stale.failure);
            } else {
                boolean survives = "v2".equals(currentText(key));
                boolean honoured = stale.code == ErrorCode.PRECONDITION_FAILED && survives;
                report.add(check, honoured ? Verdict.HONOURED : survives ? Verdict.REFUSED : Verdict.IGNORED,
                        stale.value != null ? "deleted a newer version" : String.valueOf(stale.failure));
                conditional = honoured;
            }
        } else {
            report.add(check, Verdict.SKIPPED, "could not write a second version");
        }
        Outcome<Boolean> missing = attempt(() -> {
            store.delete(key("never-written"));
            return true;
        });
        report.add("delete of a missing key", missing.code == ErrorCode.NOT_FOUND ? Verdict.HONOURED : Verdict.IGNORED,
                missing.value != null ? "reported success" : String.valueOf(missing.failure));
        if (conditional && race("delete race", Capability.DELETE_IF_MATCH, this::deleteRound)) {
            measured.add(Capability.DELETE_IF_MATCH);
        }
    }

    // ------------------------------------------------------------------ races

    /** One round of a race: how many racers were told they succeeded, and whether the result is consistent. */
    private static final class Round {
        final int winners;
        final boolean consistent;
        final Map<String, Long> losers;

        Round(int winners, boolean consistent, Map<String, Long> losers) {
            this.winners = winners;
            this.consistent = consistent;
            this.losers = losers;
        }
    }

    private interface RoundRunner {
        Round run(int round);
    }

    /** Runs the rounds of one race within the budget; true if it proved atomic. */
    private boolean race(String name, Capability capability, RoundRunner runner) {
        String check = name + " (" + options.racers() + " racers)";
        if (!driver.capabilities().supports(capability)) {
            report.add(check, Verdict.UNSUPPORTED, "not declared by the driver");
            return false;
        }
        List<Integer> winners = new ArrayList<>();
        Map<String, Long> losers = new java.util.TreeMap<>();
        boolean violated = false;
        boolean proven = false;
        // Deletes race once: the create and If-Match races carry the repeated evidence.
        int rounds = capability == Capability.DELETE_IF_MATCH ? 1 : options.rounds();
        for (int round = 1; round <= rounds; round++) {
            if (counting.remaining() < options.racers() + 3 + CLEANUP_RESERVE) {
                break;
            }
            Round r;
            try {
                r = runner.run(round);
            } catch (ObjectStoreException e) {
                report.add(check, Verdict.INCONCLUSIVE, "round " + round + " failed: " + e.code());
                return false;
            }
            winners.add(r.winners);
            r.losers.forEach((k, n) -> losers.merge(k, n, Long::sum));
            violated |= r.winners > 1 || !r.consistent;
            proven |= r.winners == 1 && r.consistent;
        }
        String detail = "winners per round " + winners + (winners.size() < rounds
                ? " (" + winners.size() + " of " + rounds + " rounds: request budget)" : "")
                + "; losers " + losers;
        Verdict v = violated ? Verdict.NOT_ATOMIC : proven ? Verdict.ATOMIC : Verdict.INCONCLUSIVE;
        report.add(check, v, detail);
        return v == Verdict.ATOMIC;
    }

    private Round createRound(int round) {
        String key = key("race-create-" + round);
        List<Outcome<PutResult>> results = concurrently(i -> put(key, text("racer-" + i), PutOptions.of(PutMode.create())));
        return judge(key, results, "racer-");
    }

    private Round ifMatchRound(int round) {
        String key = key("race-if-match");
        ObjectVersion seed = put(key, text("seed-" + round), PutOptions.defaults()).version();
        List<Outcome<PutResult>> results = concurrently(i -> put(key, text("racer-" + round + "-" + i),
                PutOptions.of(PutMode.update(seed))));
        return judge(key, results, "racer-" + round + "-");
    }

    private Round deleteRound(int round) {
        String key = key("race-delete");
        ObjectVersion seed = put(key, text("seed-" + round), PutOptions.defaults()).version();
        List<Outcome<PutResult>> results = concurrently(i -> {
            store.delete(key, DeleteOptions.ifMatch(seed));
            return null;
        });
        int winners = (int) results.stream().filter(o -> o.failure == null).count();
        return new Round(winners, true, losers(results));
    }

    private Round judge(String key, List<Outcome<PutResult>> results, String bodyPrefix) {
        List<Integer> won = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).value != null) {
                won.add(i);
            }
        }
        // With one acknowledged winner its bytes must be what is stored; otherwise nothing to compare.
        boolean consistent = won.size() != 1 || (bodyPrefix + won.get(0)).equals(currentText(key));
        return new Round(won.size(), consistent, losers(results));
    }

    private static Map<String, Long> losers(List<? extends Outcome<?>> results) {
        return results.stream().filter(o -> o.failure != null)
                .collect(Collectors.groupingBy(o -> o.code == null ? "other" : o.code.name(), java.util.TreeMap::new,
                        Collectors.counting()));
    }

    private interface Racer<T> {
        T run(int index);
    }

    private <T> List<Outcome<T>> concurrently(Racer<T> racer) {
        int n = options.racers();
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "leasehold-probe-racer");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return attemptNullable(() -> racer.run(index));
                }));
            }
            start.countDown();
            List<Outcome<T>> results = new ArrayList<>();
            for (Future<Outcome<T>> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException(ErrorCode.UNKNOWN, null, "probe interrupted", e);
        } catch (Exception e) {
            throw new ObjectStoreException(ErrorCode.UNKNOWN, null, "a probe racer failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ helpers

    private void cleanup() {
        counting.cleaningUp = true;
        for (String key : written) {
            try {
                store.delete(key);
            } catch (ObjectStoreException gone) {
                // already deleted by a check, or not cleanable: nothing more to do
            }
        }
    }

    private GetOptions.Builder read() {
        return GetOptions.builder().consistency(consistency);
    }

    private PutResult put(String key, byte[] content, PutOptions putOptions) {
        synchronized (written) {
            written.add(key);
        }
        PutResult r = store.put(key, content, putOptions);
        if (r.version().versionId().isPresent()) {
            versionIdsSeen = true;
        }
        return r;
    }

    private String currentText(String key) {
        try {
            return new String(store.get(key, read().build()).content(), StandardCharsets.UTF_8);
        } catch (ObjectNotFoundException e) {
            return null;
        }
    }

    /** Runs a group of checks; if the request budget runs out, records that and returns the fallback. */
    private <T> T section(Supplier<T> checks, T fallback) {
        try {
            return checks.get();
        } catch (BudgetSpent e) {
            if (report.build().finding("request budget").isEmpty()) {
                report.add("request budget", Verdict.SKIPPED, "spent after " + counting.calls.get()
                        + " driver calls; later checks were not measured");
            }
            return fallback;
        }
    }

    private boolean verdictIs(String check, Verdict verdict) {
        return report.build().finding(check).map(f -> f.verdict() == verdict).orElse(false);
    }

    private void addIf(boolean condition, Capability capability) {
        if (condition) {
            measured.add(capability);
        }
    }

    private String key(String name) {
        return base + name;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A value, or the failure that replaced it. */
    private static final class Outcome<T> {
        final T value;
        final ErrorCode code;
        final String failure;
        final boolean unsupported;

        Outcome(T value, ErrorCode code, String failure) {
            this.value = value;
            this.code = code;
            this.failure = failure;
            this.unsupported = code == ErrorCode.NOT_SUPPORTED;
        }
    }

    private static <T> Outcome<T> attempt(Supplier<T> call) {
        try {
            T v = call.get();
            return new Outcome<>(v, null, v == null ? "no result" : null);
        } catch (BudgetSpent e) {
            throw e;
        } catch (ObjectStoreException e) {
            return new Outcome<>(null, e.code(), e.code().name());
        }
    }

    /** Like {@link #attempt}, but a null result (a delete) counts as success. */
    private static <T> Outcome<T> attemptNullable(Supplier<T> call) {
        try {
            return new Outcome<>(call.get(), null, null);
        } catch (ObjectStoreException e) {
            return new Outcome<>(null, e.code(), e.code().name());
        }
    }

    /** Thrown when a check would exceed the request budget. */
    static final class BudgetSpent extends ObjectStoreException {
        private static final long serialVersionUID = 1L;

        BudgetSpent() {
            super(ErrorCode.UNKNOWN, null, "probe request budget spent", null);
        }
    }

    /** Counts driver calls and enforces the budget (the cleanup reserve is kept for {@link #cleanup}). */
    private static final class Counting implements StoreDriver {
        final StoreDriver target;
        final int budget;
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean cleaningUp;

        Counting(StoreDriver target, int budget) {
            this.target = target;
            this.budget = budget;
        }

        int remaining() {
            return budget - calls.get();
        }

        private void count() {
            int limit = cleaningUp ? budget : budget - CLEANUP_RESERVE;
            if (calls.incrementAndGet() > limit) {
                calls.decrementAndGet();
                throw new BudgetSpent();
            }
        }

        @Override
        public String name() {
            return target.name();
        }

        @Override
        public Capabilities capabilities() {
            return target.capabilities();
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            count();
            return target.put(key, content, options);
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            count();
            return target.get(key, options, withContent);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            count();
            target.delete(key, options);
        }
    }
}
