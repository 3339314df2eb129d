package io.leasehold.core.internal;

import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.CopyOptions;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ListOptions;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.ReadConsistency;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.internal.write.WriteTag;
import java.util.Map;

/**
 * The checks every request passes before anything is sent: valid arguments
 * ({@link InvalidArgumentException}) and options the store can honour
 * ({@link NotSupportedException}, never a silent unconditional fallback).
 *
 * <p>Thread-safety: immutable.
 */
public final class OptionChecks {
    /**
     * Bytes (names plus values) of user metadata a caller may set: what every store allows, less what
     * the library reserves for its bookkeeping on each object.
     */
    public static final int MAX_USER_METADATA_BYTES = Validation.MAX_METADATA_BYTES - WriteTag.RESERVED_BYTES;

    private final String driver;
    private final Capabilities capabilities;

    /**
     * Checks for one store.
     *
     * @param driver the driver's name, for messages
     * @param capabilities what it supports
     */
    public OptionChecks(String driver, Capabilities capabilities) {
        this.driver = driver;
        this.capabilities = capabilities;
    }

    /**
     * Refuses what the store cannot do.
     *
     * @param capability the capability needed
     * @param what what needs it, for the message
     * @throws NotSupportedException if missing
     */
    public void require(Capability capability, String what) {
        if (!capabilities.supports(capability)) {
            throw new NotSupportedException(null, driver + " driver does not support " + what
                    + " (capability " + capability + ")", null);
        }
    }

    /**
     * Checks a put's options.
     *
     * @param options the options
     */
    public void put(PutOptions options) {
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        switch (options.mode().kind()) {
            case CREATE:
                require(Capability.PUT_IF_ABSENT, "create-if-absent put");
                break;
            case REPLACE:
                require(Capability.PUT_IF_PRESENT, "replace-if-present put");
                break;
            case UPDATE:
                require(Capability.PUT_IF_MATCH, "If-Match put");
                break;
            default:
                break;
        }
        if (options.ifModifiedSince().isPresent()) {
            require(Capability.PUT_IF_MODIFIED_SINCE, "If-Modified-Since on put");
        }
        if (options.ifUnmodifiedSince().isPresent()) {
            require(Capability.PUT_IF_UNMODIFIED_SINCE, "If-Unmodified-Since on put");
        }
        if (!options.userMetadata().isEmpty()) {
            require(Capability.USER_METADATA, "user metadata");
            userMetadata(options.userMetadata());
        }
        options.contentType().ifPresent(Validation::contentType);
        options.leaseId().ifPresent(id -> {
            Validation.leaseId("leaseId", id);
            require(Capability.LEASES, "lease-guarded put");
        });
        if (options.consistency() == ReadConsistency.STRONG && options.isConditional()) {
            require(Capability.STRONG_READS, "strongly evaluated conditions");
        }
    }

    /**
     * Checks a get's or head's options.
     *
     * @param options the options
     */
    public void get(GetOptions options) {
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        if (options.ifMatch().isPresent()) {
            require(Capability.GET_IF_MATCH, "If-Match on get/head");
        }
        if (options.ifNoneMatch().isPresent()) {
            require(Capability.GET_IF_NONE_MATCH, "If-None-Match on get/head");
        }
        if (options.ifModifiedSince().isPresent()) {
            require(Capability.GET_IF_MODIFIED_SINCE, "If-Modified-Since on get/head");
        }
        if (options.ifUnmodifiedSince().isPresent()) {
            require(Capability.GET_IF_UNMODIFIED_SINCE, "If-Unmodified-Since on get/head");
        }
        if (options.consistency() == ReadConsistency.STRONG) {
            require(Capability.STRONG_READS, "strong reads");
        }
        options.leaseId().ifPresent(id -> {
            Validation.leaseId("leaseId", id);
            require(Capability.LEASES, "lease-guarded read");
        });
    }

    /**
     * Checks a delete's options.
     *
     * @param options the options
     */
    public void delete(DeleteOptions options) {
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        if (options.ifMatch().isPresent()) {
            require(Capability.DELETE_IF_MATCH, "If-Match on delete");
        }
        options.leaseId().ifPresent(id -> {
            Validation.leaseId("leaseId", id);
            require(Capability.LEASES, "lease-guarded delete");
        });
    }

    /**
     * Checks an update's options.
     *
     * @param key the key updated
     * @param heldKey the key of the held version ({@link UpdateOptions#startingFrom()}), or null
     * @param options the options
     */
    public void update(String key, String heldKey, UpdateOptions options) {
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        require(Capability.PUT_IF_ABSENT, "read-modify-write (create-if-absent)");
        require(Capability.PUT_IF_MATCH, "read-modify-write (If-Match)");
        userMetadata(options.userMetadata());
        options.contentType().ifPresent(Validation::contentType);
        options.leaseId().ifPresent(id -> {
            Validation.leaseId("leaseId", id);
            require(Capability.LEASES, "lease-guarded read-modify-write");
        });
        if (heldKey != null && !heldKey.equals(key)) {
            throw new InvalidArgumentException("startingFrom", "holds another key's object, not the key updated");
        }
    }

    /**
     * Checks a listing: a prefix that is empty or a valid key start outside the library's records,
     * and the options' page size, delimiter and token.
     *
     * @param prefix the prefix
     * @param options the options
     */
    public void list(String prefix, ListOptions options) {
        require(Capability.LIST, "listing");
        Validation.prefix(prefix);
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        if (options.pageSize() < 1 || options.pageSize() > ListOptions.MAX_PAGE_SIZE) {
            throw new InvalidArgumentException("pageSize", "must be 1 to " + ListOptions.MAX_PAGE_SIZE + "; was "
                    + options.pageSize());
        }
        options.delimiter().ifPresent(d -> Validation.text("delimiter", d, 64));
        options.continuationToken().ifPresent(t -> Validation.text("continuationToken", t, 4096));
    }

    /**
     * Checks a copy: the target's mode is one the store can honour, server-side
     * ({@link Capability#COPY_IF_ABSENT} ...) or through the client ({@link Capability#PUT_IF_ABSENT} ...).
     *
     * @param options the options
     */
    public void copy(CopyOptions options) {
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        switch (options.mode().kind()) {
            case CREATE:
                requireEither(Capability.COPY_IF_ABSENT, Capability.PUT_IF_ABSENT, "copy-if-absent");
                break;
            case UPDATE:
                requireEither(Capability.COPY_IF_MATCH, Capability.PUT_IF_MATCH, "copy with If-Match on the target");
                break;
            case REPLACE:
                requireEither(Capability.COPY_IF_PRESENT, Capability.PUT_IF_PRESENT, "copy-if-present");
                break;
            default:
                break;
        }
    }

    /**
     * Whether a copy with these options is made by the store itself: it copies server-side, pinned to
     * the source version, and honours the target's mode.
     *
     * @param options the checked options
     * @return true for a server-side copy, false to read and write through the client
     */
    public boolean copiesServerSide(CopyOptions options) {
        if (!capabilities.supports(Capability.SERVER_SIDE_COPY) || !capabilities.supports(Capability.COPY_SOURCE_IF_MATCH)) {
            return false;
        }
        switch (options.mode().kind()) {
            case CREATE:
                return capabilities.supports(Capability.COPY_IF_ABSENT);
            case UPDATE:
                return capabilities.supports(Capability.COPY_IF_MATCH);
            case REPLACE:
                return capabilities.supports(Capability.COPY_IF_PRESENT);
            default:
                return true;
        }
    }

    private void requireEither(Capability serverSide, Capability throughClient, String what) {
        if (!capabilities.supports(throughClient)
                && !(capabilities.supports(serverSide) && capabilities.supports(Capability.SERVER_SIDE_COPY)
                        && capabilities.supports(Capability.COPY_SOURCE_IF_MATCH))) {
            throw new NotSupportedException(null, driver + " driver does not support " + what + " (capability "
                    + serverSide + " or " + throughClient + ")", null);
        }
    }

    /** Callers' metadata: portable names, none reserved, within the budget the bookkeeping leaves. */
    private static void userMetadata(Map<String, String> metadata) {
        for (String name : metadata.keySet()) {
            if (WriteTag.isReserved(name)) {
                throw new InvalidArgumentException("userMetadata", "name '" + name + "' is reserved: names starting"
                        + " with '" + WriteTag.RESERVED_PREFIX + "' hold the library's bookkeeping");
            }
        }
        Validation.metadata(metadata, MAX_USER_METADATA_BYTES);
    }
}
