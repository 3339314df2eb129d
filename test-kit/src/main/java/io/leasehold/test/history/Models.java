package io.leasehold.test.history;

/**
 * The built-in {@link Model}s: a counter and a versioned register with compare-and-swap.
 *
 * <p>Thread-safety: the models returned are stateless and safe for concurrent use.
 */
public final class Models {
    private static final Model<?> COUNTER = new Counter.CounterModel();
    private static final Model<?> UNIQUE_ETAG_REGISTER = new Register.RegisterModel(true);
    private static final Model<?> HASH_ETAG_REGISTER = new Register.RegisterModel(false);

    private Models() {
    }

    /**
     * A counter changed by read-modify-write additions; calls and answers from {@link Counter}.
     * Starts at 0.
     *
     * @return the model
     */
    public static Model<?> counter() {
        return COUNTER;
    }

    /**
     * An object with compare-and-swap writes; calls and answers from {@link Register}. Starts
     * absent.
     *
     * @param uniqueEtags true for stores whose ETag names one write (Azure, memory, file): a
     *     conditional call matches only that write; false for stores whose ETag is a hash of the
     *     content (S3, Ceph RGW): it matches any version with equal content
     * @return the model
     */
    public static Model<?> register(boolean uniqueEtags) {
        return uniqueEtags ? UNIQUE_ETAG_REGISTER : HASH_ETAG_REGISTER;
    }
}
