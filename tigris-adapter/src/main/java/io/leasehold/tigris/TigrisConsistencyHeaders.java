package io.leasehold.tigris;

import io.leasehold.aws.S3Operation;
import io.leasehold.aws.S3RequestCustomizer;
import io.leasehold.core.ReadConsistency;
import java.util.Map;

/**
 * Adds {@code X-Tigris-Consistent: true} to strong reads and to conditional writes, so that they are
 * served, and their conditions evaluated, by the bucket's leader.
 *
 * <p>Thread-safety: immutable.
 */
final class TigrisConsistencyHeaders implements S3RequestCustomizer {
    private static final Map<String, String> CONSISTENT = Map.of(Tigris.CONSISTENT_HEADER, "true");

    private final boolean consistentReads;
    private final boolean consistentConditionalWrites;

    TigrisConsistencyHeaders(boolean consistentReads, boolean consistentConditionalWrites) {
        this.consistentReads = consistentReads;
        this.consistentConditionalWrites = consistentConditionalWrites;
    }

    @Override
    public Map<String, String> headers(S3Operation operation, boolean conditional, ReadConsistency consistency) {
        if (operation.isMutation()) {
            return consistentConditionalWrites && conditional ? CONSISTENT : Map.of();
        }
        return consistentReads && consistency == ReadConsistency.STRONG ? CONSISTENT : Map.of();
    }
}
