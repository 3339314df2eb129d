package io.leasehold.testing;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.TransientException;
import io.leasehold.spi.kit.Preconditions;
import io.leasehold.spi.StoreDriver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An in-memory store whose ETags are the MD5 of the content, as on S3: identical bytes share an
 * ETag, so an A&rarr;B&rarr;A rewrite is invisible to If-Match. Conditions are evaluated atomically
 * (one lock). Puts can be scripted to fail (by 1-based put number) before or after applying, with
 * other writers interleaved between a write landing and its failure reaching the caller, and reads
 * can be made to fail.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class ContentHashDriver implements StoreDriver {
    /** What a scripted put does. */
    public enum Fault {
        /** Applies normally. */
        NONE,
        /** Applies, runs the interleaved writers, then reports outcome unknown (lost response, 500 after apply). */
        APPLY_THEN_UNKNOWN,
        /** Does not apply, runs the interleaved writers, then reports outcome unknown (timeout before the store acted). */
        UNKNOWN_WITHOUT_APPLYING,
        /** Applies but answers 2xx without an ETag (some S3-compatible servers), after the interleaved writers. */
        APPLY_WITHOUT_ETAG,
        /**
         * Reports outcome unknown without applying yet; the write lands just before the next put is
         * evaluated (a timed-out request the server was still working on).
         */
        LAND_LATE
    }

    private static final Capabilities CAPABILITIES = Capabilities.of(
            Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH, Capability.GET_IF_MATCH, Capability.GET_IF_NONE_MATCH,
            Capability.GET_IF_MODIFIED_SINCE, Capability.GET_IF_UNMODIFIED_SINCE, Capability.DELETE_IF_MATCH,
            Capability.STRONG_READS, Capability.USER_METADATA, Capability.CONDITIONAL_MULTIPART_COMMIT);

    private final Map<String, Entry> objects = new HashMap<>();
    private final AtomicInteger puts = new AtomicInteger();
    private final AtomicInteger applied = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<String> appliedWriteIds = new ArrayList<>();
    private volatile IntFunction<Fault> script = n -> Fault.NONE;
    private volatile Runnable interleave = () -> { };
    private volatile int failingReads;
    private Runnable late;

    /** Scripts each put by its 1-based number. */
    public ContentHashDriver script(IntFunction<Fault> byPutNumber) {
        this.script = byPutNumber;
        return this;
    }

    /** Runs between a scripted put and its failure reaching the caller. */
    public ContentHashDriver interleave(Runnable writers) {
        this.interleave = writers;
        return this;
    }

    /** Makes the next {@code count} reads fail with a transient error. */
    public ContentHashDriver failNextReads(int count) {
        this.failingReads = count;
        return this;
    }

    public int puts() {
        return puts.get();
    }

    public int applied() {
        return applied.get();
    }

    public int reads() {
        return reads.get();
    }

    /** The reserved write id of every applied put, in order. */
    public synchronized List<String> appliedWriteIds() {
        return new ArrayList<>(appliedWriteIds);
    }

    @Override
    public String name() {
        return "content-hash";
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public PutResponse put(String key, byte[] content, PutOptions options) {
        Fault fault = script.apply(puts.incrementAndGet());
        Runnable landing;
        synchronized (this) {
            landing = late;
            late = null;
        }
        if (landing != null) {
            landing.run();
        }
        if (fault == Fault.LAND_LATE) {
            synchronized (this) {
                late = () -> putUnscripted(key, content, options);
            }
            throw new OutcomeUnknownException(key, "scripted: timed out; the store applies it later", null);
        }
        if (fault == Fault.UNKNOWN_WITHOUT_APPLYING) {
            interleave.run();
            throw new OutcomeUnknownException(key, "scripted: timed out before the store acted", null);
        }
        PutResponse result = putUnscripted(key, content, options);
        if (fault == Fault.APPLY_THEN_UNKNOWN) {
            interleave.run();
            throw new OutcomeUnknownException(key, "scripted: response lost after the write landed", null);
        }
        if (fault == Fault.APPLY_WITHOUT_ETAG) {
            interleave.run();
            return PutResponse.withoutVersion(content.length);
        }
        return result;
    }

    /** A put that bypasses the script (another writer on the same objects). */
    public PutResponse putUnscripted(String key, byte[] content, PutOptions options) {
        synchronized (this) {
            Entry current = objects.get(key);
            Preconditions.write(key, options, current == null ? null : current.etag,
                    current == null ? null : current.lastModified);
            Entry next = new Entry(content.clone(), ETag.strong(md5(content)), Instant.now(), options.userMetadata());
            objects.put(key, next);
            applied.incrementAndGet();
            appliedWriteIds.add(options.userMetadata().get("leasehold_w"));
            return PutResponse.of(ObjectVersion.of(next.etag, null), content.length, null);
        }
    }

    @Override
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        reads.incrementAndGet();
        synchronized (this) {
            if (failingReads > 0) {
                failingReads--;
                throw new TransientException(ErrorCode.TRANSIENT, key, "scripted: read failed", null);
            }
            Entry e = objects.get(key);
            if (e == null) {
                throw new ObjectNotFoundException(key, "no such key", null);
            }
            if (Preconditions.read(key, options, e.etag, e.lastModified) == Preconditions.ReadVerdict.NOT_MODIFIED) {
                return GetResponse.notModified(ObjectVersion.of(e.etag, null));
            }
            ObjectInfo info = new ObjectInfo(key, ObjectVersion.of(e.etag, null), e.content.length, e.lastModified, null,
                    e.metadata);
            return GetResponse.found(info, withContent ? e.content : null);
        }
    }

    @Override
    public synchronized void delete(String key, DeleteOptions options) {
        Entry e = objects.get(key);
        if (e == null) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
        Preconditions.delete(key, options, e.etag);
        objects.remove(key);
    }

    private static String md5(byte[] content) {
        try {
            StringBuilder b = new StringBuilder();
            for (byte d : MessageDigest.getInstance("MD5").digest(content)) {
                b.append(String.format("%02x", d));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Text content helper. */
    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final class Entry {
        final byte[] content;
        final ETag etag;
        final Instant lastModified;
        final Map<String, String> metadata;

        Entry(byte[] content, ETag etag, Instant lastModified, Map<String, String> metadata) {
            this.content = content;
            this.etag = etag;
            this.lastModified = lastModified;
            this.metadata = Map.copyOf(metadata);
        }
    }
}
