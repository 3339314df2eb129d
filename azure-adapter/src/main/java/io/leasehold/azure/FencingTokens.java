package io.leasehold.azure;

import io.leasehold.spi.GetResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.TransientException;
import io.leasehold.spi.kit.LeaseRecord;
import io.leasehold.spi.StoreDriver;
import java.io.IOException;
import java.security.SecureRandom;

/**
 * Fencing tokens for native Azure blob leases, which have none: a counter blob per leased key at
 * {@value #PREFIX}{@code <key>}, holding the last token issued and the SHA-256 of the lease id it was
 * issued to (never the id), plus a nonce so that a lost response can be settled.
 *
 * <h2>Issuing a token (after Azure granted the lease)</h2>
 * <ol>
 *   <li>Read the counter. If it was issued to this lease id, that is the token: nobody else has
 *       taken a token since, so it is still the newest (this is also how acquiring with the holder's
 *       own id keeps its token).</li>
 *   <li>Otherwise write token + 1 with If-Match on the version read (create-if-absent for the first);
 *       a lost race re-reads.</li>
 *   <li>Renew the lease. Only if that succeeds is the token handed out: the renewal proves the lease
 *       was still ours after the counter moved, so every later holder, which must acquire after us
 *       and then take its own token, gets a larger one. Without this check a holder that lost its
 *       lease just before writing the counter could end up with a larger token than its successor.</li>
 * </ol>
 * Why not the blob's own metadata: setting it changes the blob's ETag (every client's If-Match
 * would fail after each acquire), and any write without the library's help replaces all metadata,
 * which would reset the counter. The counter blob leaves the leased blob untouched.
 *
 * <p>Thread-safety: safe for concurrent use (stateless beyond the driver).
 */
final class FencingTokens {
    /** Where counter blobs live, under the store's prefix. */
    static final String PREFIX = ".leasehold/fence/";
    private static final int MAX_ATTEMPTS = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreDriver store;
    private final ObjectMapper json = new ObjectMapper();

    FencingTokens(StoreDriver store) {
        this.store = store;
    }

    /** The counter blob's key for a leased key. */
    static String counterKey(String key) {
        return PREFIX + key;
    }

    /**
     * Issues the token of a lease just acquired (steps above).
     *
     * @param key the leased key
     * @param leaseId the lease id Azure granted
     * @param verifyStillHeld renews the lease; throws if it is no longer this id's
     * @return the token
     */
    long issue(String key, String leaseId, Runnable verifyStillHeld) {
        String counterKey = counterKey(key);
        String hash = LeaseRecord.idDigest(leaseId);
        String pendingNonce = null;
        ObjectVersion pendingBase = null;
        OutcomeUnknownException unknown = null;
        Counter current = read(counterKey);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (pendingNonce != null) {
                if (current != null && current.nonce.equals(pendingNonce)) {
                    verifyStillHeld.run(); // our ambiguous write landed
                    return current.token;
                }
                boolean unchanged = pendingBase == null ? current == null
                        : current != null && current.version.etag().value().equals(pendingBase.etag().value());
                if (!unchanged) {
                    throw new OutcomeUnknownException(key, "the fencing counter write may have landed and been"
                            + " replaced since", unknown);
                }
            }
            if (current != null && current.leaseHash.equals(hash)) {
                return current.token;
            }
            Counter next = new Counter(current == null ? 1 : current.token + 1, hash, nonce(), null);
            try {
                store.put(counterKey, next.toJson(json), PutOptions.builder()
                        .mode(current == null ? PutMode.create() : PutMode.update(current.version))
                        .contentType("application/json").build());
                verifyStillHeld.run();
                return next.token;
            } catch (PreconditionFailedException | ObjectAlreadyExistsException raced) {
                // Another holder's token landed first: read it and go above it.
                pendingNonce = null;
            } catch (OutcomeUnknownException ambiguous) {
                // Settle by reading back: our nonce, the same base (write again: at most one of the
                // two can land, both are conditioned on it), or anything else (unknown).
                unknown = ambiguous;
                pendingNonce = next.nonce;
                pendingBase = current == null ? null : current.version;
            }
            current = read(counterKey);
        }
        if (unknown != null) {
            throw unknown;
        }
        throw new TransientException(ErrorCode.CONFLICT, key, "the fencing counter kept changing during "
                + MAX_ATTEMPTS + " attempts", null);
    }

    /**
     * The token issued to a lease id, if the counter says it was the last one issued.
     *
     * @return the token, or null
     */
    Long issuedTo(String key, String leaseId) {
        Counter current = read(counterKey(key));
        return current != null && current.leaseHash.equals(LeaseRecord.idDigest(leaseId)) ? current.token : null;
    }

    /**
     * After a change of lease id: the counter's token now belongs to the new id (same token, written
     * with If-Match). Nothing to do if it already names the new id, or names neither.
     *
     * @return the token, or null if the counter names neither id
     */
    Long transfer(String key, String oldId, String newId) {
        String counterKey = counterKey(key);
        String oldHash = LeaseRecord.idDigest(oldId);
        String newHash = LeaseRecord.idDigest(newId);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Counter current = read(counterKey);
            if (current == null || !(current.leaseHash.equals(oldHash) || current.leaseHash.equals(newHash))) {
                return null;
            }
            if (current.leaseHash.equals(newHash)) {
                return current.token;
            }
            try {
                store.put(counterKey, new Counter(current.token, newHash, nonce(), null).toJson(json),
                        PutOptions.builder().mode(PutMode.update(current.version)).contentType("application/json").build());
                return current.token;
            } catch (PreconditionFailedException raced) {
                // Changed meanwhile: look again.
            } catch (OutcomeUnknownException ambiguous) {
                // Idempotent: the next read shows the new id if it landed, the old one if not.
            }
        }
        throw new TransientException(ErrorCode.CONFLICT, key, "the fencing counter kept changing", null);
    }

    private Counter read(String counterKey) {
        GetResponse result;
        try {
            result = store.get(counterKey, GetOptions.defaults(), true);
        } catch (ObjectNotFoundException absent) {
            return null;
        }
        try {
            JsonNode node = json.readTree(result.content());
            long token = node.path("token").asLong(-1);
            String hash = node.path("lease").asText("");
            if (token < 1 || hash.isEmpty()) {
                throw new IllegalArgumentException("missing fields");
            }
            return new Counter(token, hash, node.path("nonce").asText(""), result.info().version());
        } catch (IOException | RuntimeException e) {
            throw new ObjectStoreException(ErrorCode.UNKNOWN, null, "the fencing counter blob " + PREFIX
                    + "… is unreadable; repair or delete it", e);
        }
    }

    private static String nonce() {
        return String.format("%016x%016x", RANDOM.nextLong(), RANDOM.nextLong());
    }

    /** One version of the counter blob. */
    private static final class Counter {
        final long token;
        final String leaseHash;
        final String nonce;
        final ObjectVersion version;

        Counter(long token, String leaseHash, String nonce, ObjectVersion version) {
            this.token = token;
            this.leaseHash = leaseHash;
            this.nonce = nonce;
            this.version = version;
        }

        byte[] toJson(ObjectMapper json) {
            ObjectNode node = json.createObjectNode();
            node.put("format", 1);
            node.put("token", token);
            node.put("lease", leaseHash);
            node.put("nonce", nonce);
            try {
                return json.writeValueAsBytes(node);
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialise the fencing counter", e);
            }
        }
    }
}
