package io.leasehold.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a method only while this process holds the lease on {@link #key()}: typically a
 * {@code @Scheduled} job that several instances of an application schedule, of which one at a time
 * must run.
 *
 * <pre>{@code
 * @Scheduled(cron = "0 0 2 * * *")
 * @LeaseholdLocked(key = "jobs/nightly", duration = "30s")
 * void nightly() {
 *     LeaseholdLock lock = LeaseholdLock.current().orElseThrow();
 *     for (Batch b : batches()) {
 *         lock.checkHeld();                                  // stop at once if the lease was lost
 *         report.write(b, lock.fencingToken().getAsLong());  // downstream rejects older tokens
 *     }
 * }
 * }</pre>
 *
 * <h2>What happens on each call</h2>
 * <ol>
 *   <li>The lease on {@link #key()} is acquired in the store ({@link #store()}), creating the lock object
 *       (empty) if it is missing, waiting up to {@link #waitUpTo()} while another holder has it.</li>
 *   <li><b>Held elsewhere:</b> the method does not run; the call returns {@code null} at once and
 *       logs one line at DEBUG (logger {@code io.leasehold.spring.LeaseholdLocked}). That is the normal
 *       outcome on every instance but one. Any other failure to acquire (store unreachable, no leases)
 *       is thrown and the method does not run.</li>
 *   <li><b>Acquired:</b> a {@link io.leasehold.core.lease.LeaseKeeper} renews the lease in the background
 *       while the method runs; {@link LeaseholdLock#current()} gives the method its lease (fencing
 *       token, lease id for guarded writes). {@code @Scheduled} methods take no arguments, hence the
 *       accessor.</li>
 *   <li><b>Lost while running</b> (broken, taken over, or renewals failing until the keeper's safety
 *       margin): the keeper reports it before the lease can have expired; the method's thread is
 *       interrupted (unless {@link #interruptOnLoss()} is false) and {@link LeaseholdLock#isHeld()}
 *       turns false. Stop promptly: another instance may take the lease over.</li>
 *   <li><b>At the end</b>, normal or exceptional, the lease is released so the next run anywhere can
 *       acquire it at once; the method's result or exception is passed on unchanged.</li>
 * </ol>
 * Each acquisition gets a larger fencing token than the one before it on stores that issue them
 * (memory, file, Azure, emulated S3 leases): hand it to anything downstream that can refuse stale
 * writers.
 *
 * <h2>Rules</h2>
 * The method must be on a Spring bean (the call goes through a proxy: a call from the same object is
 * not locked), and must return {@code void} or a reference type (a skipped call returns null);
 * startup fails otherwise, and when {@link #store()} names no store or a store without leases.
 * Attributes accept {@code ${...}} placeholders.
 *
 * <p>Thread-safety: an annotation; the lock is per call and the method may be called from any thread.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface LeaseholdLocked {
    /**
     * The key of the lock object, e.g. {@code jobs/nightly}; one lock per key across all instances.
     *
     * @return the key
     */
    String key();

    /**
     * The lease duration, 15s to 60s ({@code 30s}, {@code PT30S}); the keeper renews at about a third
     * of it, so the method may run for any length of time. Empty: the store's
     * {@code leasehold.store.lease.duration} (default 30s).
     *
     * @return the duration, or empty
     */
    String duration() default "";

    /**
     * How long to wait for a lease held elsewhere before skipping ({@code 0s}: one attempt). Empty:
     * the store's {@code leasehold.store.lease.wait-up-to} (default 0s).
     *
     * @return the wait, or empty
     */
    String waitUpTo() default "";

    /**
     * The store: empty for the default store ({@code leasehold.store}), else the name of a store under
     * {@code leasehold.stores}.
     *
     * @return the store name, or empty
     */
    String store() default "";

    /**
     * Whether the method's thread is interrupted when the lease is lost while it runs.
     *
     * @return true by default
     */
    boolean interruptOnLoss() default true;
}
