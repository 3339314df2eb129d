package io.leasehold.tck.history;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.tck.faults.CallOutcome;
import io.leasehold.tck.faults.WriteEvidence;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One mutating call of a history workload as the wire audit needs it: who made it, on which key,
 * how it ended, and how to recognise its writes on the wire (the write ids an {@code update}
 * reported, or the per-call metadata tag of a {@code put}). Counter calls also keep their delta, so
 * the final counter can be compared with what landed.
 *
 * <p>Thread-safety: immutable.
 */
final class MutationCall {
    /** How a call's writes are recognised on the wire. */
    enum Evidence { WRITE_IDS, TAG }

    final String id;
    final String key;
    final CallOutcome.Kind kind;
    /** The failure's code, or null when acknowledged or not an {@link ObjectStoreException}. */
    final ErrorCode code;
    final String failure;
    final Evidence evidence;
    /** The write ids reported for an update, or the single tag value of a put. */
    final List<String> values;
    /** The counter change, 0 for register writes. */
    final long delta;

    MutationCall(String id, String key, CallOutcome outcome, Evidence evidence, List<String> values, long delta) {
        this(id, key, outcome.kind(), outcome.code(), outcome.failure(), evidence, values, delta);
    }

    private MutationCall(String id, String key, CallOutcome.Kind kind, ErrorCode code, String failure, Evidence evidence,
                         List<String> values, long delta) {
        this.id = id;
        this.key = key;
        this.kind = kind;
        this.code = code;
        this.failure = failure;
        this.evidence = evidence;
        this.values = List.copyOf(values);
        this.delta = delta;
    }

    /** The outcome as {@link io.leasehold.tck.faults.WriteAudit} takes it. */
    CallOutcome outcome() {
        switch (kind) {
            case ACKNOWLEDGED:
                return CallOutcome.acknowledged();
            case UNCLASSIFIED:
                return code == null ? CallOutcome.of(new IllegalStateException(failure))
                        : CallOutcome.of(new ObjectStoreException(ErrorCode.UNKNOWN, key, failure, null));
            default:
                return CallOutcome.of(new ObjectStoreException(code, key, failure, null));
        }
    }

    /** How the audit recognises this call's writes. */
    WriteEvidence writeEvidence() {
        return evidence == Evidence.TAG ? WriteEvidence.metadata(HistoryWorkload.WRITE_TAG, values.get(0))
                : WriteEvidence.writeIds(Set.copyOf(values));
    }

    /** One line: {@code call ID KEY KIND CODE EVIDENCE VALUES DELTA FAILURE}, every word URL-encoded. */
    String line() {
        return String.join(" ", "call", enc(id), enc(key), kind.name(), code == null ? "-" : code.name(), evidence.name(),
                values.isEmpty() ? "-" : enc(String.join(",", values)), Long.toString(delta),
                failure == null || failure.isEmpty() ? "-" : enc(failure));
    }

    static MutationCall parse(String line) {
        String[] w = line.split(" ");
        if (w.length != 9 || !w[0].equals("call")) {
            throw new IllegalArgumentException("not a call line: " + line);
        }
        List<String> values = w[6].equals("-") ? List.of() : new ArrayList<>(Arrays.asList(dec(w[6]).split(",")));
        return new MutationCall(dec(w[1]), dec(w[2]), CallOutcome.Kind.valueOf(w[3]), w[4].equals("-") ? null : ErrorCode.valueOf(w[4]),
                w[8].equals("-") ? null : dec(w[8]), Evidence.valueOf(w[5]), values, Long.parseLong(w[7]));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
