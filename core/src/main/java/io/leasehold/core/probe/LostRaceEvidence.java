package io.leasehold.core.probe;

import io.leasehold.core.ErrorCode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The If-Match race's evidence for a store-specific 5xx code meaning "this conditional put lost its
 * race and was not applied", and the rule that turns it into a learned code (stated on
 * {@link ProbeEngine}). Not thread-safe: the engine feeds it from its own thread.
 */
final class LostRaceEvidence {
    /**
     * Codes that name no cause, so a 5xx carrying one may come from a write that landed: the generic
     * server errors of S3 and Azure, and this library's own normalised codes (what a wire over a
     * driver reports).
     */
    private static final Set<String> GENERIC = generic();

    private int rounds;
    /** For each code: in how many rounds that proved no loser landed a loser got it. */
    private final Map<String, Integer> cleanRounds = new TreeMap<>();
    /** Codes losers got in rounds that did not prove which write landed. */
    private final Set<String> unproven = new TreeSet<>();
    private String adopted;
    private String adoptedFrom;
    /** A proposed code the rule refused, and why. */
    private String refused;

    private static Set<String> generic() {
        Set<String> s = new HashSet<>(List.of("InternalError", "ServiceUnavailable", "SlowDown", "ServerBusy",
                "OperationTimedOut", "InternalServerError", "RequestTimeout"));
        Arrays.stream(ErrorCode.values()).map(Enum::name).forEach(s::add);
        return Set.copyOf(s);
    }

    /**
     * Records one round of the If-Match race.
     *
     * @param clean whether it proved that no loser landed (one winner, whose bytes are stored)
     * @param serverErrorCodes the error codes of losers answered with a 5xx (null for none sent)
     */
    void round(boolean clean, @Nullable List<String> serverErrorCodes) {
        rounds++;
        Set<String> codes = serverErrorCodes.stream().map(c -> c == null ? "" : c).collect(Collectors.toSet());
        if (clean) {
            codes.forEach(c -> cleanRounds.merge(c, 1, Integer::sum));
        } else {
            unproven.addAll(codes);
        }
    }

    /** The learned code, by the rule; empty if the evidence does not support one. */
    Optional<String> learned(boolean versioned) {
        if (cleanRounds.size() != 1) {
            return Optional.empty();
        }
        String code = cleanRounds.keySet().iterator().next();
        return cleanRounds.get(code) >= ProbeEngine.LOST_RACE_MIN_ROUNDS && objection(code, versioned) == null
                ? Optional.of(code) : Optional.empty();
    }

    /** The learned code, else {@code code} if nothing in the evidence or the rule speaks against it. */
    Optional<String> adopt(String code, String source, boolean versioned) {
        Optional<String> learned = learned(versioned);
        if (learned.isPresent() || code == null) {
            return learned;
        }
        String objection = objection(code, versioned);
        if (objection != null) {
            refused = code + " from " + source + " not taken: " + objection;
            return learned;
        }
        adopted = code;
        adoptedFrom = source;
        return Optional.of(code);
    }

    /** The code in force: learned, else adopted. */
    Optional<String> inForce(boolean versioned) {
        return learned(versioned).or(() -> Optional.ofNullable(adopted));
    }

    /** Why {@code code} cannot be read as a lost race; null if it can (enough rounds aside). */
    private String objection(String code, boolean versioned) {
        if (code.isEmpty()) {
            return "a 5xx without an error code";
        }
        if (GENERIC.contains(code)) {
            return code + " is a generic code";
        }
        if (versioned) {
            return "the bucket keeps versions, and a versioned write can fail after it landed";
        }
        if (!unproven.isEmpty()) {
            return "a loser got a 5xx in a round that did not prove which write landed";
        }
        if (cleanRounds.size() > 1 || !cleanRounds.isEmpty() && !cleanRounds.containsKey(code)) {
            return "losers got different codes";
        }
        return null;
    }

    /** The finding's detail. */
    String describe(boolean versioned) {
        String evidence = evidence(versioned);
        return refused == null ? evidence : evidence + "; " + refused;
    }

    private String evidence(boolean versioned) {
        String seen = cleanRounds.entrySet().stream()
                .map(e -> (e.getKey().isEmpty() ? "no code" : e.getKey()) + " in " + e.getValue() + " of " + rounds + " rounds")
                .collect(Collectors.joining(", "))
                + (unproven.isEmpty() ? "" : (cleanRounds.isEmpty() ? "" : ", ") + unproven + " in unproven rounds");
        Optional<String> learned = learned(versioned);
        if (learned.isPresent()) {
            return seen + ", and no such loser landed: read as a lost race";
        }
        if (adopted != null) {
            return adopted + " (from " + adoptedFrom + (seen.isEmpty() ? "" : "; the race showed " + seen) + ")";
        }
        if (rounds == 0) {
            return "not measured: the If-Match race did not run";
        }
        if (seen.isEmpty()) {
            return "never: no loser got a 5xx";
        }
        String why = cleanRounds.size() == 1 ? objection(cleanRounds.keySet().iterator().next(), versioned) : null;
        return seen + ": left outcome unknown (" + (why != null ? why : cleanRounds.size() > 1 ? "losers got different codes"
                : !unproven.isEmpty() ? "a loser got a 5xx in a round that did not prove which write landed"
                : "the same code is needed in " + ProbeEngine.LOST_RACE_MIN_ROUNDS + " rounds") + ")";
    }
}
