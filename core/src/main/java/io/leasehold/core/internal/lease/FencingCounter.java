package io.leasehold.core.internal.lease;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.retry.Retry;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.StoreObserver;
import io.leasehold.core.TransientException;
import io.leasehold.core.internal.Attempts;
import io.leasehold.core.internal.Futures;
import io.leasehold.core.internal.Observing;
import io.leasehold.core.internal.io.StoreIo;
import io.leasehold.core.internal.update.Transition;
import io.leasehold.core.internal.update.UpdateLoop;
import io.leasehold.core.internal.write.WriteEngine;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.kit.LeaseRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Fencing tokens for native leases whose store has none (Azure Blob): a counter object per leased
 * key at {@value #PREFIX}{@code <key>} holding the last token issued and the SHA-256 of the lease
 * id it was issued to (never the id), written through the store's write engine like any other
 * read-modify-write (write ids, settlement of lost answers, nothing re-sent blindly).
 *
 * <h2>Issuing a token (after the store granted the lease)</h2>
 * <ol>
 *   <li>Read the counter. If the grant continues a tenure the caller has proven unbroken and the
 *       counter was issued to this lease id, that is the token (a renewal by acquire).</li>
 *   <li>Otherwise write token + 1 with If-Match on the version read (create-if-absent for the
 *       first): every new tenure gets a new token, also under the same id after a release or an
 *       expiry. A lost race reads again.</li>
 *   <li>The caller then renews the lease: only if that succeeds is the token handed out, since the
 *       renewal proves the lease was still held after the counter moved, so every later holder,
 *       which must acquire after it and then take its own token, gets a larger one.</li>
 * </ol>
 * Why not the leased object's metadata: setting it changes the object's ETag, and a write without
 * the library's help replaces all metadata. Limit: tokens restart if the counter object itself is
 * deleted out of band (a store-side rule removing {@code .leasehold/}); nothing else remembers them.
 *
 * <p>Thread-safety: safe for concurrent use; each call's state is its own.
 */
final class FencingCounter {
    /** Where counter objects live, under the store's prefix. */
    static final String PREFIX = ".leasehold/fence/";
    private static final int MAX_KEY_BYTES = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WriteEngine engine;
    private final StoreIo io;
    private final Observing observing;
    private final Retry operationRetry;
    private final ObjectMapper json = new ObjectMapper();

    FencingCounter(WriteEngine engine, StoreIo io, Observing observing, Retry operationRetry) {
        this.engine = engine;
        this.io = io;
        this.observing = observing;
        this.operationRetry = operationRetry;
    }

    /**
     * The counter's key for a leased key; checked against the 1024-byte key limit before anything
     * is sent.
     *
     * @throws InvalidArgumentException naming {@code key} if too long
     */
    static String counterKey(String key) {
        String counterKey = PREFIX + key;
        int bytes = counterKey.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new InvalidArgumentException("key", "is too long for a lease with a fencing token: its counter key ("
                    + PREFIX + "KEY) would be " + bytes + " UTF-8 bytes; at most " + MAX_KEY_BYTES);
        }
        return counterKey;
    }

    /**
     * Issues the token of a grant (steps 1 and 2 above; the caller renews afterwards).
     *
     * @param key the leased key
     * @param leaseId the lease id granted
     * @param sameTenure whether the grant provably continues the caller's own unbroken tenure
     * @return the token, and whether the counter moved (then the caller must prove the lease still held)
     */
    Issued issue(String key, String leaseId, boolean sameTenure) {
        String hash = LeaseRecord.idDigest(leaseId);
        return step(key, StoreObserver.Operation.LEASE_ACQUIRE, current -> {
            if (sameTenure && current != null && current.leaseHash.equals(hash)) {
                return Transition.Decision.keep(new Issued(current.token, false));
            }
            long next = (current == null ? 0 : current.token) + 1;
            return Transition.Decision.write(Counter.toJson(json, next, hash), new Issued(next, true));
        });
    }

    /**
     * The token last issued to a lease id, if the counter says it was the last one issued.
     *
     * @param key the leased key
     * @param leaseId the lease id
     * @return the token, or null
     */
    Long issuedTo(String key, String leaseId) {
        String hash = LeaseRecord.idDigest(leaseId);
        GetResponse read;
        try {
            read = Futures.join(engine.read(io, counterKey(key), GetOptions.builder().consistency(engine.strongest()).build(), true,
                    java.util.concurrent.CompletableFuture::completedFuture, Attempts.of(operationRetry)));
        } catch (io.leasehold.core.ObjectNotFoundException absent) {
            return null;
        }
        Counter current = Counter.parse(json, key, read.content());
        return current.leaseHash.equals(hash) ? current.token : null;
    }

    /**
     * After a change of lease id: the counter's token now belongs to the new id (same token). Nothing
     * to write if it already names the new id, or names neither.
     *
     * @param key the leased key
     * @param oldId the id before the change
     * @param newId the id after it
     * @return the token, or null if the counter names neither id
     */
    Long transfer(String key, String oldId, String newId) {
        String oldHash = LeaseRecord.idDigest(oldId);
        String newHash = LeaseRecord.idDigest(newId);
        return step(key, StoreObserver.Operation.LEASE_CHANGE, current -> {
            if (current == null || !(current.leaseHash.equals(oldHash) || current.leaseHash.equals(newHash))) {
                return Transition.Decision.keep(null);
            }
            if (current.leaseHash.equals(newHash)) {
                return Transition.Decision.keep(current.token);
            }
            return Transition.Decision.write(Counter.toJson(json, current.token, newHash), current.token);
        });
    }

    /** One read-modify-write of the counter through the engine. */
    private <R> R step(String key, StoreObserver.Operation operation, CounterTransition<R> decide) {
        String counterKey = counterKey(key);
        UpdateLoop<R> loop = UpdateLoop.<R>builder(engine, io, counterKey,
                current -> decide.decide(current == null ? null : Counter.parse(json, key, current.content())))
                .writeOptions(PutOptions.builder().contentType("application/json").consistency(engine.strongest()).build())
                .everyVersionUnique()
                .budget(new LeaseAttempts(Attempts.of(operationRetry)))
                .observed(observing, operation)
                .build();
        try {
            return Futures.join(loop.run()).result;
        } catch (PreconditionFailedException | ObjectAlreadyExistsException raced) {
            throw new TransientException(ErrorCode.CONFLICT, key, "the fencing counter kept changing during "
                    + LeaseAttempts.MAX_RACES + " attempts", raced);
        } catch (OutcomeUnknownException unknown) {
            throw new OutcomeUnknownException(key, "fencing counter: " + unknown.getMessage(), unknown,
                    unknown.writeId().orElse(null), null);
        } catch (ObjectStoreException e) {
            if (key.equals(e.key().orElse(null)) || e instanceof io.leasehold.core.LeaseException) {
                throw e;
            }
            if (e instanceof TransientException) {
                throw new TransientException(e.code(), key, "fencing counter: " + e.getMessage(), e);
            }
            throw new ObjectStoreException(e.code(), key, "fencing counter: " + e.getMessage(), e);
        }
    }

    /** What a step decides from the counter (null: none yet). */
    @FunctionalInterface
    private interface CounterTransition<R> {
        Transition.Decision<R> decide(Counter current);
    }

    /** A token and whether issuing it moved the counter. Thread-safety: immutable. */
    static final class Issued {
        final long token;
        final boolean moved;

        Issued(long token, boolean moved) {
            this.token = token;
            this.moved = moved;
        }
    }

    /** One version of the counter. Thread-safety: immutable. */
    private static final class Counter {
        final long token;
        final String leaseHash;

        Counter(long token, String leaseHash) {
            this.token = token;
            this.leaseHash = leaseHash;
        }

        static byte[] toJson(ObjectMapper json, long token, String leaseHash) {
            ObjectNode node = json.createObjectNode();
            node.put("format", 1);
            node.put("token", token);
            node.put("lease", leaseHash);
            // Unique bytes per write: where ETags are content hashes, If-Match then pins one version.
            node.put("nonce", String.format("%016x%016x", RANDOM.nextLong(), RANDOM.nextLong()));
            try {
                return json.writeValueAsBytes(node);
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialise the fencing counter", e);
            }
        }

        /**
         * Parses the counter; a damaged one is refused rather than restarted (that would reuse tokens).
         *
         * @throws ObjectStoreException with {@link ErrorCode#UNKNOWN} if damaged
         */
        static Counter parse(ObjectMapper json, String key, byte[] content) {
            try {
                JsonNode node = json.readTree(content);
                long token = node.path("token").asLong(-1);
                String hash = node.path("lease").asText("");
                if (token < 1 || hash.isEmpty()) {
                    throw new IllegalArgumentException("missing fields");
                }
                return new Counter(token, hash);
            } catch (IOException | RuntimeException e) {
                throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "the fencing counter " + PREFIX
                        + "… is unreadable; repair or delete it", e);
            }
        }
    }
}
