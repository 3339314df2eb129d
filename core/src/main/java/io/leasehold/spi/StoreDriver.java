package io.leasehold.spi;

import io.leasehold.core.Capabilities;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ProbeOptions;
import io.leasehold.core.ProbeReport;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import java.util.Optional;

/**
 * The provider SPI: what a store adapter implements so that {@link io.leasehold.core.ObjectStore}
 * works on it. Kept small on purpose; the facade does the shared work once (key and option
 * validation, capability checks, error wrapping, retries, read-modify-write), so a driver only
 * translates one request into its store's terms.
 *
 * <h2>Obligations</h2>
 * <ul>
 *   <li>Arguments arrive validated: keys are valid, options only use capabilities the driver
 *       declared in {@link #capabilities()}. A driver MUST NOT silently drop a condition.</li>
 *   <li>Failures MUST be thrown as {@link io.leasehold.core.ObjectStoreException} subclasses, with
 *       the provider's exception as cause and no secrets in the message.</li>
 *   <li>Conditional mutations MUST be atomic in the store, and the driver MUST NOT re-send them on
 *       its own (no SDK retries): a failure after the request may have been applied is reported as
 *       {@link io.leasehold.core.ErrorCode#OUTCOME_UNKNOWN} or a transient code, and the facade
 *       decides.</li>
 * </ul>
 *
 * <p>Thread-safety: implementations MUST be safe for concurrent use by many threads.
 */
public interface StoreDriver extends AutoCloseable {

    /**
     * A short name for messages and metrics, e.g. {@code "memory"}, {@code "s3"}.
     *
     * @return the name
     */
    String name();

    /**
     * What this driver supports. MUST be constant for the driver's lifetime.
     *
     * @return the capabilities
     */
    Capabilities capabilities();

    /**
     * Writes an object.
     *
     * <p>MUST throw {@link io.leasehold.core.ObjectAlreadyExistsException} when a create finds the
     * key present (including a store's 409 or 412 for that case);
     * {@link io.leasehold.core.PreconditionFailedException} when an update's ETag does not match,
     * the key is missing for update or replace, or a date condition is false;
     * {@link io.leasehold.core.LeaseHeldException} when the object is leased and no lease id was
     * given; {@link io.leasehold.core.LeaseMismatchException} when a wrong lease id was given.
     *
     * @param key the key
     * @param content the bytes; the driver MUST NOT modify or keep the array
     * @param options the validated options
     * @return the new version
     */
    PutResult put(String key, byte[] content, PutOptions options);

    /**
     * Reads an object or its metadata, evaluating the conditions as {@link GetOptions} describes.
     *
     * <p>MUST throw {@link io.leasehold.core.ObjectNotFoundException} for a missing key,
     * {@link io.leasehold.core.PreconditionFailedException} for a false If-Match or
     * If-Unmodified-Since, and return {@link GetResult#notModified} for a false If-None-Match or
     * If-Modified-Since.
     *
     * @param key the key
     * @param options the validated options
     * @param withContent true for get, false for head
     * @return the result
     */
    GetResult get(String key, GetOptions options, boolean withContent);

    /**
     * Deletes an object.
     *
     * <p>MUST throw {@link io.leasehold.core.ObjectNotFoundException} if the key does not exist
     * (never a silent success that deleted nothing) and
     * {@link io.leasehold.core.PreconditionFailedException} if If-Match does not hold.
     *
     * @param key the key
     * @param options the validated options
     */
    void delete(String key, DeleteOptions options);

    /**
     * The lease operations, when {@link io.leasehold.core.Capability#LEASES} is declared.
     *
     * @return the lease driver, or empty
     */
    default Optional<LeaseDriver> leases() {
        return Optional.empty();
    }

    /**
     * Measures what this driver's endpoint really does with conditions (see
     * {@link io.leasehold.core.StoreProbe}). The default runs the portable probe through this driver;
     * a driver whose store speaks a wire protocol with known deviations may probe it directly.
     *
     * @param options scratch prefix, racers, rounds and request budget; MUST be respected
     * @return the report
     */
    default ProbeReport probe(ProbeOptions options) {
        return io.leasehold.core.StoreProbe.portable(this, options);
    }

    /**
     * Exposes an underlying client (escape hatch). Each driver documents what it exposes.
     *
     * @param type the wanted type
     * @param <T> the type
     * @return the instance, or empty if this driver has nothing of that type
     */
    default <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** Releases resources the driver owns (not caller-supplied clients). */
    @Override
    default void close() {
    }
}
