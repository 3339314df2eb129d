package io.leasehold.core.probe;

import static io.leasehold.core.probe.ProbeEngine.CREATE;
import static io.leasehold.core.probe.ProbeEngine.CREATE_RACE;
import static io.leasehold.core.probe.ProbeEngine.DELETE_MISSING;
import static io.leasehold.core.probe.ProbeEngine.DELETE_RACE;
import static io.leasehold.core.probe.ProbeEngine.DELETE_STALE;
import static io.leasehold.core.probe.ProbeEngine.GET_IF_MATCH_ANY;
import static io.leasehold.core.probe.ProbeEngine.GET_IF_NONE_MATCH_ANY;
import static io.leasehold.core.probe.ProbeEngine.IF_MATCH_MISSING;
import static io.leasehold.core.probe.ProbeEngine.IF_MATCH_QUOTED;
import static io.leasehold.core.probe.ProbeEngine.IF_MATCH_RACE;
import static io.leasehold.core.probe.ProbeEngine.IF_MATCH_STALE;
import static io.leasehold.core.probe.ProbeEngine.IF_MATCH_UNQUOTED;
import static io.leasehold.core.probe.ProbeEngine.LOST_RACE;
import static io.leasehold.core.probe.ProbeEngine.METADATA;
import static io.leasehold.core.probe.ProbeEngine.REPLACE_IF_PRESENT;
import static io.leasehold.core.probe.ProbeEngine.REWRITE;

import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.probe.ProbeFinding.Verdict;
import io.leasehold.spi.ProbePlugin;
import io.leasehold.spi.ProbeWire;
import io.leasehold.spi.ProbeWire.Answer;
import io.leasehold.spi.ProbeWire.Conditions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One run of the {@link ProbeEngine}: the portable checks in their groups, the races, the cleanup
 * and the report, and the {@link ProbeRun} the plug-in sees. Not thread-safe beyond what
 * {@link ProbeRun} promises: one thread runs it, racers only send requests.
 */
final class EngineRun implements ProbeRun {
    /** Race bodies large enough that a check-then-act server's window between check and write is wide. */
    private static final int RACE_BODY_BYTES = 32 * 1024;
    private static final Duration DAY = Duration.ofDays(1);
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** An ETag no object has. */
    private static final String STALE = "0123456789abcdef0123456789abcdef";
    private static final String META_NAME = "probe_meta_name";
    private static final String BUDGET = "request budget";

    private final ProbeOptions options;
    private final ProbeBudget budget;
    private final ProbeWire wire;
    private final ProbePlugin plugin;
    private final String base;
    private final ProbeReport.Builder report;
    private final Map<String, Verdict> verdicts = new HashMap<>();
    private final Set<Capability> measured = EnumSet.noneOf(Capability.class);
    private final Set<String> written = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Map<String, String> statuses = new LinkedHashMap<>();
    private final LostRaceEvidence lostRace = new LostRaceEvidence();
    private final Random random = new Random();
    private volatile boolean versionIds;
    private boolean staleRead;
    /** The If-Match form the store honours: true quoted, false bare, null neither. */
    private Boolean honouredQuoted;
    /** A form the store accepts without honouring it, used when it honours none. */
    private Boolean acceptedQuoted;
    private int replaceChecks;
    private Capabilities capabilities = Capabilities.of();
    private String matchingProfile;

    EngineRun(ProbeOptions options, ProbeBudget budget, ProbeWire wire, ProbePlugin plugin) {
        this.options = options;
        this.budget = budget;
        this.wire = wire;
        this.plugin = plugin;
        this.base = options.scratchPrefix() + UUID.randomUUID() + "/";
        this.report = ProbeReport.builder(wire.target());
    }

    ProbeReport run() {
        try {
            boolean intact = section(this::bytes, false);
            section(this::create);
            boolean ifMatch = section(this::ifMatchChecks, false);
            boolean creates = intact && is(CREATE, Verdict.HONOURED)
                    && section(() -> race(CREATE_RACE, options.rounds(), false, this::createRound), false);
            boolean updates = intact && ifMatch
                    && section(() -> race(IF_MATCH_RACE, options.rounds(), true, this::ifMatchRound), false);
            addIf(creates, Capability.PUT_IF_ABSENT);
            addIf(updates, Capability.PUT_IF_MATCH);
            section(() -> addIf(replaceIfPresent(REPLACE_IF_PRESENT, Conditions.NONE.ifMatch("*")) && updates,
                    Capability.PUT_IF_PRESENT));
            section(() -> putDates(updates));
            section(this::reads);
            section(this::metadata);
            section(this::deletes);
            section(() -> plugin.extraChecks(this));
        } finally {
            cleanup();
        }
        addIf(versionIds, Capability.VERSION_IDS);
        addIf(!staleRead && wire.offersStrongReads(), Capability.STRONG_READS);
        add("version ids", Verdict.OBSERVED, versionIds ? "returned" : "none");
        add("read after write", Verdict.OBSERVED, staleRead ? "a read returned older bytes"
                : wire.offersStrongReads() ? "every read saw the latest write" : "strong reads not offered");
        capabilities = Capabilities.of(measured);
        plugin.finish(this);
        add(LOST_RACE, Verdict.OBSERVED, lostRace.describe(versionIds));
        return report.capabilities(capabilities).matchingProfile(matchingProfile).requests(budget.used()).build();
    }

    // ------------------------------------------------------------------ checks

    /** Bytes read back with each transfer setting until one keeps them; true if one did. */
    private boolean bytes() {
        byte[] binary = new byte[4096];
        random.nextBytes(binary);
        List<String> settings = wire.transferSettings();
        int count = Math.max(1, settings.size());
        String key = key("bytes");
        // The most conservative setting first: an answer to it that is a failure is the endpoint's, not the setting's.
        useSetting(settings, count - 1);
        ObjectStoreException unreachable = wire.unreachable(put(key, new byte[] {1}, Conditions.NONE));
        if (unreachable != null) {
            throw unreachable;
        }
        for (int i = 0; i < count; i++) {
            useSetting(settings, i);
            String check = settings.isEmpty() ? "bytes written = bytes read" : "bytes, " + settings.get(i);
            Answer put = put(key, binary, Conditions.NONE);
            String problem = roundTrip(put, key, binary, null);
            if (problem == null) {
                problem = roundTrip(put(key, new byte[0], Conditions.NONE), key, new byte[0], binary);
            }
            if (problem == null) {
                plugin.bytesIntact(this, binary, put);
                add(check, Verdict.INTACT, "4 KiB of random bytes and an empty object");
                return true;
            }
            add(check, Verdict.ALTERED, problem);
        }
        useSetting(settings, count - 1);
        return false;
    }

    private void useSetting(List<String> settings, int index) {
        if (!settings.isEmpty()) {
            wire.useTransferSetting(index);
        }
    }

    /** Reads back what {@code put} wrote; null if intact, else what went wrong. */
    private String roundTrip(Answer put, String key, byte[] content, byte[] previous) {
        String what = content.length == 0 ? "empty object" : content.length + " bytes";
        if (put.status() != 200) {
            return what + ": put " + put;
        }
        Answer get = get(key, Conditions.NONE);
        if (get.status() != 200) {
            return what + ": get " + get;
        }
        if (!get.bodyEquals(content)) {
            staleRead |= previous != null && get.bodyEquals(previous);
            byte[] read = get.body() == null ? new byte[0] : get.body();
            return what + ": read back " + read.length + " different bytes" + wire.explainAltered(read);
        }
        return null;
    }

    private void create() {
        String key = key("create");
        Conditions create = Conditions.NONE.ifNoneMatch("*");
        Answer first = put(key, text("first"), create);
        if (first.status() != 200) {
            add(CREATE, first.notSent() ? Verdict.UNSUPPORTED : Verdict.REFUSED, "on an absent key: " + first);
        } else {
            Answer second = put(key, text("second"), create);
            String now = currentText(key);
            if (second.succeeded() || !"first".equals(now)) {
                add(CREATE, Verdict.IGNORED, "second create on a present key: " + second + "; content now '" + now + "'");
            } else if (second.status() == 412 || second.status() == 409) {
                add(CREATE, Verdict.HONOURED, "second create: " + second);
                status("lost create", String.valueOf(second.status()));
            } else {
                add(CREATE, Verdict.REFUSED, "second create: " + second);
            }
        }
        Answer before = first.status() == 200 ? first : put(key, text("first"), Conditions.NONE);
        Answer again = before.status() == 200 ? put(key, text("first"), Conditions.NONE) : before;
        if (again.status() != 200 || before.opaqueEtag() == null || again.opaqueEtag() == null) {
            add(REWRITE, Verdict.SKIPPED, "rewrite: " + again);
            return;
        }
        boolean changes = !before.opaqueEtag().equals(again.opaqueEtag());
        add(REWRITE, changes ? Verdict.CHANGES : Verdict.UNCHANGED,
                before.opaqueEtag() + (changes ? " -> " + again.opaqueEtag() : " both times"));
        addIf(changes, Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE);
    }

    /**
     * If-Match in each ETag form (a stale tag refused, the current one applied), with the tag of an
     * older version, and on a missing key; true if a form is honoured and both of those too.
     */
    private boolean ifMatchChecks() {
        String key = key("if-match");
        Answer seed = put(key, text("v1"), Conditions.NONE);
        if (seed.status() != 200 || seed.opaqueEtag() == null) {
            add(IF_MATCH_QUOTED, Verdict.SKIPPED, "seed put: " + seed);
            return false;
        }
        String current = seed.opaqueEtag();
        String stored = "v1";
        for (boolean quoted : new boolean[] {true, false}) {
            String check = quoted ? IF_MATCH_QUOTED : IF_MATCH_UNQUOTED;
            Answer stale = put(key, text("stale-" + quoted), Conditions.NONE.ifMatch(form(quoted, STALE)));
            if (stale.notSent()) {
                add(check, Verdict.UNSUPPORTED, "stale ETag: " + stale);
                continue;
            }
            String now = currentText(key);
            if (stale.succeeded() || !stored.equals(now)) {
                add(check, Verdict.IGNORED, "stale ETag: " + stale + ", written");
                current = stale.opaqueEtag() == null ? current : stale.opaqueEtag();
                stored = String.valueOf(now);
                acceptedQuoted = acceptedQuoted == null ? Boolean.valueOf(quoted) : acceptedQuoted;
                continue;
            }
            Answer r = put(key, text("v-" + quoted), Conditions.NONE.ifMatch(form(quoted, current)));
            if (r.succeeded()) {
                current = r.opaqueEtag() == null ? current : r.opaqueEtag();
                stored = "v-" + quoted;
            }
            if (r.status() == 200 && stale.status() == 412) {
                add(check, Verdict.HONOURED, "stale ETag: 412; current ETag: 200");
                honouredQuoted = honouredQuoted == null ? Boolean.valueOf(quoted) : honouredQuoted;
            } else {
                add(check, Verdict.REFUSED, "stale ETag: " + stale + "; current ETag: " + r
                        + (r.status() == 412 ? " although it matches" : ""));
            }
        }
        if (honouredQuoted == null && acceptedQuoted == null) {
            add(IF_MATCH_STALE, Verdict.SKIPPED, "no ETag form is accepted");
            add(IF_MATCH_MISSING, Verdict.SKIPPED, "no ETag form is accepted");
            return false;
        }
        Answer stale = put(key, text("stale"), Conditions.NONE.ifMatch(ifMatch(seed.opaqueEtag())));
        boolean unchanged = stored.equals(currentText(key));
        boolean staleHonoured = stale.status() == 412 && unchanged;
        add(IF_MATCH_STALE, staleHonoured ? Verdict.HONOURED : stale.succeeded() || !unchanged ? Verdict.IGNORED
                : stale.notSent() ? Verdict.UNSUPPORTED : Verdict.REFUSED,
                stale.succeeded() ? "written over a newer version" : stale + (unchanged ? "" : ", written"));
        Answer missing = put(key("if-match-missing"), text("x"), Conditions.NONE.ifMatch(ifMatch(STALE)));
        boolean missingHonoured = missing.status() == 412 || missing.status() == 404;
        add(IF_MATCH_MISSING, missingHonoured ? Verdict.HONOURED : missing.succeeded() ? Verdict.IGNORED
                : missing.notSent() ? Verdict.UNSUPPORTED : Verdict.REFUSED,
                missing.succeeded() ? "created the key" : missing.toString());
        status(IF_MATCH_MISSING, String.valueOf(missing.status()));
        return honouredQuoted != null && staleHonoured && missingHonoured;
    }

    private static String form(boolean quoted, String etag) {
        return quoted ? "\"" + etag + "\"" : etag;
    }

    @Override
    public boolean replaceIfPresent(String check, Conditions condition) {
        Answer onMissing = put(key("replace-missing-" + ++replaceChecks), text("x"), condition);
        if (onMissing.notSent()) {
            add(check, Verdict.UNSUPPORTED, "missing key: " + onMissing);
            return false;
        }
        // The If-Match checks left this key present.
        Answer onPresent = put(key("if-match"), text("replaced"), condition);
        boolean honoured = (onMissing.status() == 412 || onMissing.status() == 404) && onPresent.status() == 200;
        add(check, honoured ? Verdict.HONOURED : onMissing.succeeded() ? Verdict.IGNORED : Verdict.REFUSED,
                "missing key: " + onMissing + "; present key: " + onPresent);
        return honoured;
    }

    private void putDates(boolean atomicIfMatch) {
        String key = key("if-match");
        Answer head = head(key, Conditions.NONE);
        if (head.status() != 200 || head.lastModified() == null) {
            add("put If-Unmodified-Since", Verdict.SKIPPED, "HEAD: " + head);
            return;
        }
        Instant modified = head.lastModified();
        boolean unmodified = dateCheck("put If-Unmodified-Since", key,
                Conditions.NONE.ifUnmodifiedSince(httpDate(modified.minus(DAY))),
                Conditions.NONE.ifUnmodifiedSince(httpDate(Instant.now().plus(DAY))));
        boolean modifiedSince = dateCheck("put If-Modified-Since", key,
                Conditions.NONE.ifModifiedSince(httpDate(Instant.now().plus(DAY))),
                Conditions.NONE.ifModifiedSince(httpDate(modified.minus(DAY))));
        addIf(unmodified && atomicIfMatch, Capability.PUT_IF_UNMODIFIED_SINCE);
        addIf(modifiedSince && atomicIfMatch, Capability.PUT_IF_MODIFIED_SINCE);
    }

    private boolean dateCheck(String check, String key, Conditions falseCondition, Conditions trueCondition) {
        Answer no = put(key, text("false"), falseCondition);
        if (no.notSent()) {
            add(check, Verdict.UNSUPPORTED, no.toString());
            return false;
        }
        Answer yes = put(key, text("true"), trueCondition);
        boolean honoured = (no.status() == 412 || no.status() == 304) && yes.status() == 200;
        add(check, honoured ? Verdict.HONOURED : no.succeeded() ? Verdict.IGNORED : Verdict.REFUSED,
                "false: " + no + "; true: " + yes);
        return honoured;
    }

    private static String httpDate(Instant instant) {
        return HTTP_DATE.format(instant);
    }

    /** The read conditions on get and head, and the wildcards (whose verdicts a plug-in reads). */
    private void reads() {
        String key = key("reads");
        Answer seed = put(key, text("read me"), Conditions.NONE);
        Answer head = head(key, Conditions.NONE);
        if (seed.status() != 200 || head.status() != 200 || head.lastModified() == null || head.opaqueEtag() == null) {
            add("get If-Match", Verdict.SKIPPED, "seed: " + seed + "; HEAD: " + head);
            return;
        }
        String etag = head.opaqueEtag();
        Conditions match = Conditions.NONE.ifMatch(ifMatch(etag));
        Conditions matchStale = Conditions.NONE.ifMatch(ifMatch(STALE));
        Conditions noneMatch = Conditions.NONE.ifNoneMatch(form(true, etag));
        Conditions noneMatchStale = Conditions.NONE.ifNoneMatch(form(true, STALE));
        Instant modified = head.lastModified();
        boolean ifMatch = read("get If-Match", key, true, match, 200, matchStale, 412)
                & read("head If-Match", key, false, match, 200, matchStale, 412);
        boolean ifNoneMatch = read("get If-None-Match", key, true, noneMatch, 304, noneMatchStale, 200)
                & read("head If-None-Match", key, false, noneMatch, 304, noneMatchStale, 200);
        boolean ifModified = read("get If-Modified-Since", key, true, Conditions.NONE.ifModifiedSince(httpDate(modified)), 304,
                Conditions.NONE.ifModifiedSince(httpDate(modified.minus(DAY))), 200);
        boolean ifUnmodified = read("get If-Unmodified-Since", key, true,
                Conditions.NONE.ifUnmodifiedSince(httpDate(modified.minus(DAY))), 412,
                Conditions.NONE.ifUnmodifiedSince(httpDate(modified.plus(DAY))), 200);
        read(GET_IF_MATCH_ANY, key, true, Conditions.NONE.ifMatch("*"), 200, null, 0);
        read(GET_IF_NONE_MATCH_ANY, key, true, Conditions.NONE.ifNoneMatch("*"), 304, null, 0);
        addIf(ifMatch, Capability.GET_IF_MATCH);
        addIf(ifNoneMatch, Capability.GET_IF_NONE_MATCH);
        addIf(ifModified, Capability.GET_IF_MODIFIED_SINCE);
        addIf(ifUnmodified, Capability.GET_IF_UNMODIFIED_SINCE);
    }

    private boolean read(String check, String key, boolean withContent, Conditions first, int firstExpected,
                         Conditions second, int secondExpected) {
        Answer a = withContent ? get(key, first) : head(key, first);
        if (a.notSent()) {
            add(check, Verdict.UNSUPPORTED, a.toString());
            return false;
        }
        Answer b = second == null ? null : withContent ? get(key, second) : head(key, second);
        boolean honoured = a.status() == firstExpected && (b == null || b.status() == secondExpected);
        boolean ignored = a.status() == 200 && firstExpected != 200 || b != null && b.status() == 200 && secondExpected != 200;
        add(check, honoured ? Verdict.HONOURED : ignored ? Verdict.IGNORED : Verdict.REFUSED,
                "expected " + firstExpected + ", got " + a + (b == null ? "" : "; expected " + secondExpected + ", got " + b));
        return honoured;
    }

    private void metadata() {
        String key = key("metadata");
        Answer put = put(key, text("m"), Conditions.NONE, Map.of(META_NAME, "v1"));
        if (put.notSent()) {
            add(METADATA, Verdict.UNSUPPORTED, put.toString());
            return;
        }
        Answer head = head(key, Conditions.NONE);
        if (put.status() != 200 || head.status() != 200) {
            add(METADATA, Verdict.REFUSED, "put: " + put + "; HEAD: " + head);
            return;
        }
        Map<String, String> names = new TreeMap<>();
        head.metadata().forEach((k, v) -> names.put(k.toLowerCase(Locale.ROOT), v));
        Optional<String> mapped = plugin.storedMetadataName(META_NAME).filter(n -> "v1".equals(names.get(n)));
        if ("v1".equals(names.get(META_NAME))) {
            add(METADATA, Verdict.PRESERVED, META_NAME);
            measured.add(Capability.USER_METADATA);
        } else if (mapped.isPresent()) {
            add(METADATA, Verdict.MANGLED, META_NAME + " came back as " + mapped.get() + " (mapped back)");
            measured.add(Capability.USER_METADATA);
        } else {
            add(METADATA, names.containsValue("v1") ? Verdict.MANGLED : Verdict.LOST, "came back: " + names.keySet());
        }
    }

    private void deletes() {
        String key = key("delete");
        Answer v1 = put(key, text("v1"), Conditions.NONE);
        Answer v2 = put(key, text("v2"), Conditions.NONE);
        Answer missing = delete(key("never-written"), Conditions.NONE);
        status(DELETE_MISSING, String.valueOf(missing.status()));
        add(DELETE_MISSING, missing.status() == 404 ? Verdict.HONOURED : missing.succeeded() ? Verdict.IGNORED
                : Verdict.REFUSED, missing.succeeded() ? missing + ": reported success" : missing.toString());
        if (v1.status() != 200 || v2.status() != 200 || v1.opaqueEtag() == null
                || v1.opaqueEtag().equals(v2.opaqueEtag())) {
            add(DELETE_STALE, Verdict.SKIPPED, "could not write two versions: " + v1 + ", " + v2);
            return;
        }
        Answer stale = delete(key, Conditions.NONE.ifMatch(ifMatch(v1.opaqueEtag())));
        if (stale.notSent()) {
            add(DELETE_STALE, Verdict.UNSUPPORTED, stale.toString());
            return;
        }
        boolean survives = head(key, Conditions.NONE).status() == 200;
        boolean honoured = stale.status() == 412 && survives;
        add(DELETE_STALE, honoured ? Verdict.HONOURED : survives ? Verdict.REFUSED : Verdict.IGNORED,
                "stale ETag: " + stale + (survives ? "" : ", object deleted"));
        // Deletes race once: the create and If-Match races carry the repeated evidence.
        addIf(honoured && race(DELETE_RACE, 1, false, this::deleteRound), Capability.DELETE_IF_MATCH);
    }

    // ------------------------------------------------------------------ races

    /** One round: how many racers succeeded, whether the stored bytes are the single winner's, the losers. */
    private static final class Round {
        final int winners;
        final boolean consistent;
        final List<Answer> losers;

        Round(int winners, boolean consistent, List<Answer> losers) {
            this.winners = winners;
            this.consistent = consistent;
            this.losers = losers;
        }

        /** The error codes of losers answered with a 5xx (null where none was sent). */
        List<String> serverErrorCodes() {
            return losers.stream().filter(a -> a.status() >= 500).map(a -> a.errorCode().orElse(null))
                    .collect(Collectors.toList());
        }
    }

    private interface RoundRunner {
        Round run(int round);
    }

    /**
     * Runs the rounds of one race within the budget; true if it proved atomic: exactly one winner in
     * every round, whose bytes are stored, and at least one round run.
     */
    private boolean race(String name, int rounds, boolean lostRaceSamples, RoundRunner runner) {
        String check = name + " (" + options.racers() + " racers)";
        List<Integer> winners = new ArrayList<>();
        Map<String, Long> losers = new TreeMap<>();
        boolean violated = false;
        boolean proven = false;
        for (int round = 1; round <= rounds; round++) {
            if (budget.remaining() < options.racers() + 3) {
                break;
            }
            Round r;
            try {
                r = runner.run(round);
            } catch (ProbeBudget.BudgetSpent e) {
                throw e;
            } catch (ObjectStoreException e) {
                add(check, Verdict.INCONCLUSIVE, "round " + round + " failed: " + e.getMessage());
                return false;
            }
            boolean clean = r.winners == 1 && r.consistent;
            if (lostRaceSamples) {
                lostRace.round(clean, r.serverErrorCodes());
            }
            winners.add(r.winners);
            r.losers.forEach(a -> losers.merge(a.toString(), 1L, Long::sum));
            violated |= r.winners > 1 || !r.consistent;
            proven |= clean;
        }
        String loserText = losers.isEmpty() ? "none" : losers.entrySet().stream()
                .map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(", "));
        status(name + " losers", loserText);
        Verdict v = violated ? Verdict.NOT_ATOMIC : proven ? Verdict.ATOMIC : Verdict.INCONCLUSIVE;
        add(check, v, "winners per round " + winners + (winners.size() < rounds ? " (" + winners.size() + " of "
                + rounds + " rounds: request budget)" : "") + "; losers " + loserText);
        return v == Verdict.ATOMIC;
    }

    private Round createRound(int round) {
        String key = key("race-create-" + round);
        byte[][] bodies = raceBodies(round);
        Conditions create = Conditions.NONE.ifNoneMatch("*");
        return judge(key, bodies, concurrently(i -> put(key, bodies[i], create)));
    }

    private Round ifMatchRound(int round) {
        return seeded("race-if-match", round, (key, condition) -> {
            byte[][] bodies = raceBodies(round);
            return judge(key, bodies, concurrently(i -> put(key, bodies[i], condition)));
        });
    }

    private Round deleteRound(int round) {
        return seeded("race-delete", round, (key, condition) -> {
            List<Answer> results = concurrently(i -> delete(key, condition));
            List<Answer> losers = results.stream().filter(a -> !a.succeeded()).collect(Collectors.toList());
            return new Round(results.size() - losers.size(), true, losers);
        });
    }

    /** Seeds the race's key and races on If-Match with the seed's ETag; a failed seed is a round without winners. */
    private Round seeded(String name, int round, BiFunction<String, Conditions, Round> race) {
        String key = key(name);
        Answer seed = put(key, text("seed-" + round), Conditions.NONE);
        if (seed.status() != 200 || seed.opaqueEtag() == null) {
            return new Round(0, true, List.of(seed));
        }
        return race.apply(key, Conditions.NONE.ifMatch(ifMatch(seed.opaqueEtag())));
    }

    /** With one acknowledged winner its bytes must be what is stored; otherwise there is nothing to compare. */
    private Round judge(String key, byte[][] bodies, List<Answer> results) {
        List<Integer> won = new ArrayList<>();
        List<Answer> losers = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).succeeded()) {
                won.add(i);
            } else {
                losers.add(results.get(i));
            }
        }
        boolean consistent = won.size() != 1 || get(key, Conditions.NONE).bodyEquals(bodies[won.get(0)]);
        return new Round(won.size(), consistent, losers);
    }

    /** Distinct random bodies, each starting with its racer's name. */
    private byte[][] raceBodies(int round) {
        byte[][] bodies = new byte[options.racers()][];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = new byte[RACE_BODY_BYTES];
            random.nextBytes(bodies[i]);
            byte[] tag = ("racer-" + round + "-" + i + "-").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(tag, 0, bodies[i], 0, tag.length);
        }
        return bodies;
    }

    /** Runs one request per racer, all released at once. */
    private List<Answer> concurrently(IntFunction<Answer> racer) {
        int n = options.racers();
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "leasehold-probe-racer");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Answer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return racer.apply(index);
                }));
            }
            start.countDown();
            List<Answer> results = new ArrayList<>();
            for (Future<Answer> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException(ErrorCode.UNKNOWN, null, "probe interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ObjectStoreException(ErrorCode.UNKNOWN, null, "a probe racer failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ run state

    /** Deletes what the probe wrote, with the budget's cleanup reserve. */
    private void cleanup() {
        budget.startCleanup();
        List<String> keys;
        synchronized (written) {
            keys = new ArrayList<>(written);
        }
        try {
            wire.removeScratch(base, keys, versionIds);
        } catch (ObjectStoreException spent) {
            // The budget is spent (or the wire gave up): what is left stays under the scratch folder.
        }
    }

    /** Runs a group of checks; if the request budget runs out, records that and returns the fallback. */
    private <T> T section(Supplier<T> checks, T fallback) {
        try {
            return checks.get();
        } catch (ProbeBudget.BudgetSpent e) {
            if (!verdicts.containsKey(BUDGET)) {
                add(BUDGET, Verdict.SKIPPED, "spent after " + budget.used() + " requests; later checks were not measured");
            }
            return fallback;
        }
    }

    private void section(Runnable checks) {
        section(() -> {
            checks.run();
            return null;
        }, null);
    }

    private boolean is(String check, Verdict verdict) {
        return verdicts.get(check) == verdict;
    }

    private void addIf(boolean condition, Capability capability) {
        if (condition) {
            measured.add(capability);
        }
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Answer put(String key, byte[] content, Conditions conditions, Map<String, String> metadata) {
        written.add(key);
        Answer a = wire.put(key, content, conditions, metadata);
        String versionId = a.versionId();
        if (a.succeeded() && versionId != null && !versionId.isEmpty() && !"null".equals(versionId)) {
            versionIds = true;
        }
        return a;
    }

    // ------------------------------------------------------------------ ProbeRun

    @Override
    public ProbeOptions options() {
        return options;
    }

    @Override
    public String key(String name) {
        return base + name;
    }

    @Override
    public Answer put(String key, byte[] content, Conditions conditions) {
        return put(key, content, conditions, Map.of());
    }

    @Override
    public Answer get(String key, Conditions conditions) {
        return wire.get(key, conditions);
    }

    @Override
    public Answer head(String key, Conditions conditions) {
        return wire.head(key, conditions);
    }

    @Override
    public Answer delete(String key, Conditions conditions) {
        return wire.delete(key, conditions);
    }

    @Override
    public String currentText(String key) {
        Answer r = get(key, Conditions.NONE);
        return r.status() == 200 && r.body() != null ? new String(r.body(), StandardCharsets.UTF_8) : null;
    }

    @Override
    public String ifMatch(String etag) {
        Boolean quoted = honouredQuoted != null ? honouredQuoted : acceptedQuoted;
        return form(quoted == null || quoted, etag);
    }

    @Override
    public Optional<Boolean> ifMatchQuoted() {
        return Optional.ofNullable(honouredQuoted);
    }

    @Override
    public void add(String check, Verdict verdict, String detail) {
        report.add(check, verdict, detail);
        verdicts.putIfAbsent(check, verdict);
    }

    @Override
    public Optional<Verdict> verdict(String check) {
        return Optional.ofNullable(verdicts.get(check));
    }

    @Override
    public void status(String what, String status) {
        statuses.put(what, status);
    }

    @Override
    public Map<String, String> statuses() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(statuses));
    }

    @Override
    public void measured(Capability capability) {
        measured.add(capability);
    }

    @Override
    public Set<Capability> measured() {
        return Collections.unmodifiableSet(EnumSet.copyOf(measured));
    }

    @Override
    public boolean versionIdsSeen() {
        return versionIds;
    }

    @Override
    public Optional<String> lostRaceCode() {
        return lostRace.learned(versionIds);
    }

    @Override
    public Optional<String> adoptLostRaceCode(String code, String source) {
        return lostRace.adopt(code, source, versionIds);
    }

    @Override
    public void capabilities(Capabilities capabilities) {
        this.capabilities = capabilities;
    }

    @Override
    public void matchingProfile(String name) {
        this.matchingProfile = name;
    }
}
