package io.leasehold.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An object's metadata as a head or get saw it.
 *
 * <p>Thread-safety: immutable.
 */
public final class ObjectInfo {
    private final String key;
    private final ObjectVersion version;
    private final long size;
    private final Instant lastModified;
    private final String contentType;
    private final Map<String, String> userMetadata;

    /**
     * Creates the metadata record.
     *
     * @param key the key
     * @param version the current version
     * @param size size in bytes
     * @param lastModified last-modified time
     * @param contentType content type, or null
     * @param userMetadata user metadata, or null for none
     */
    public ObjectInfo(String key, ObjectVersion version, long size, Instant lastModified, @Nullable String contentType,
                      @Nullable Map<String, String> userMetadata) {
        this.key = Objects.requireNonNull(key, "key");
        this.version = Objects.requireNonNull(version, "version");
        this.size = size;
        this.lastModified = Objects.requireNonNull(lastModified, "lastModified");
        this.contentType = contentType;
        this.userMetadata = userMetadata == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(userMetadata));
    }

    /**
     * The key.
     *
     * @return never null
     */
    public String key() {
        return key;
    }

    /**
     * The current version.
     *
     * @return never null
     */
    public ObjectVersion version() {
        return version;
    }

    /**
     * The size in bytes.
     *
     * @return the size
     */
    public long size() {
        return size;
    }

    /**
     * The last-modified time as the store reports it (HTTP stores: whole seconds).
     *
     * @return never null
     */
    public Instant lastModified() {
        return lastModified;
    }

    /**
     * The content type.
     *
     * @return the media type, or empty
     */
    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /**
     * The user metadata, names lowercase.
     *
     * @return an unmodifiable map, possibly empty
     */
    public Map<String, String> userMetadata() {
        return userMetadata;
    }

    @Override
    public String toString() {
        return "ObjectInfo{key=" + key + ", version=" + version + ", size=" + size + ", lastModified=" + lastModified
                + ", contentType=" + contentType + "}";
    }
}
