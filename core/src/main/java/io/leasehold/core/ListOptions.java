package io.leasehold.core;

import java.util.Optional;

/**
 * Options of a listing: how many entries a page holds at most, an optional delimiter that rolls keys
 * up into common prefixes, and the continuation token of the page to read.
 *
 * <p>Values are checked when the listing is made ({@link InvalidArgumentException}, nothing sent):
 * the page size is 1 to {@value #MAX_PAGE_SIZE} (S3's limit), a delimiter is non-empty printable
 * text, and a continuation token is one the same store returned for the same prefix and delimiter.
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public final class ListOptions {
    /** The largest page S3 serves; every store is asked for at most this many entries per request. */
    public static final int MAX_PAGE_SIZE = 1000;
    private static final ListOptions DEFAULTS = builder().build();

    private final int pageSize;
    private final String delimiter;
    private final String continuationToken;

    private ListOptions(Builder b) {
        this.pageSize = b.pageSize;
        this.delimiter = b.delimiter;
        this.continuationToken = b.continuationToken;
    }

    /**
     * Pages of {@value #MAX_PAGE_SIZE} entries, no delimiter, from the first page.
     *
     * @return the defaults
     */
    public static ListOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A new builder with the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder initialised from these options.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return builder().pageSize(pageSize).delimiter(delimiter).continuationToken(continuationToken);
    }

    /**
     * The most entries (objects plus common prefixes) one page holds.
     *
     * @return the page size
     */
    public int pageSize() {
        return pageSize;
    }

    /**
     * The delimiter: keys whose rest after the prefix contains it are listed once, as the common
     * prefix up to and including its first occurrence (a "directory").
     *
     * @return the delimiter, or empty to list every key under the prefix
     */
    public Optional<String> delimiter() {
        return Optional.ofNullable(delimiter);
    }

    /**
     * Where the page starts: a token from a previous page, or empty for the first page.
     *
     * @return the token, or empty
     */
    public Optional<String> continuationToken() {
        return Optional.ofNullable(continuationToken);
    }

    @Override
    public String toString() {
        return "ListOptions{pageSize=" + pageSize + ", delimiter=" + delimiter + ", continued="
                + (continuationToken != null) + "}";
    }

    /**
     * Builds {@link ListOptions}. Not thread-safe.
     */
    public static final class Builder {
        private int pageSize = MAX_PAGE_SIZE;
        private String delimiter;
        private String continuationToken;

        private Builder() {
        }

        /**
         * Sets the most entries per page (checked when listing: 1 to {@value #MAX_PAGE_SIZE}).
         *
         * @param pageSize the page size
         * @return this builder
         */
        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        /**
         * Sets the delimiter, e.g. {@code "/"}.
         *
         * @param delimiter the delimiter, or null for none
         * @return this builder
         */
        public Builder delimiter(String delimiter) {
            this.delimiter = delimiter;
            return this;
        }

        /**
         * Continues after a previous page ({@link ListPage#continuationToken()}).
         *
         * @param token the token, or null for the first page
         * @return this builder
         */
        public Builder continuationToken(String token) {
            this.continuationToken = token;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         */
        public ListOptions build() {
            return new ListOptions(this);
        }
    }
}
