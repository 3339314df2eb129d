package io.leasehold.aws;

/**
 * The S3 requests {@link S3Driver} sends, named for {@link S3RequestCustomizer}.
 *
 * <p>Thread-safety: enum constants are immutable.
 */
public enum S3Operation {
    /** PutObject (every put). */
    PUT_OBJECT,
    /** GetObject (get). */
    GET_OBJECT,
    /** HeadObject (head, and the existence checks of delete and ambiguity resolution). */
    HEAD_OBJECT,
    /** DeleteObject (delete). */
    DELETE_OBJECT;

    /**
     * Whether the operation changes the store.
     *
     * @return true for put and delete
     */
    public boolean isMutation() {
        return this == PUT_OBJECT || this == DELETE_OBJECT;
    }
}
