package io.leasehold.cli;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.AccessDeniedException;
import io.leasehold.core.Capabilities;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.TransientException;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.StoreDriverProvider;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only stores, registered through ServiceLoader:
 * <ul>
 *   <li>{@code faulty://MODE}: every operation fails as MODE says ({@code lease_held}, {@code transient},
 *       {@code access_denied}, {@code runtime}...), or with {@code nocaps} declares no capabilities.
 *       {@link #CALLS} counts operations that reached the driver.</li>
 *   <li>{@code lossy://NAME}: a memory store that acknowledges every 10th put without writing it,
 *       so the demo must detect lost updates.</li>
 * </ul>
 */
public final class TestDrivers implements StoreDriverProvider {
    /** Operations that reached any faulty driver. */
    static final AtomicInteger CALLS = new AtomicInteger();
    /** The secret a runtime failure carries in its message; must never be printed. */
    static final String SECRET = "AccountKey=c2VjcmV0";

    @Override
    public Set<String> schemes() {
        return Set.of("faulty", "lossy");
    }

    @Override
    public StoreDriver open(URI uri) {
        return uri.getScheme().equals("lossy") ? new Lossy(MemoryDriver.named("lossy-" + uri.getAuthority()))
                : new Faulty(uri.getAuthority());
    }

    static final class Faulty implements StoreDriver {
        private final String mode;

        Faulty(String mode) {
            this.mode = mode;
        }

        @Override
        public String name() {
            return "faulty";
        }

        @Override
        public Capabilities capabilities() {
            return mode.equals("nocaps") ? Capabilities.of() : Capabilities.all();
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            throw failure(key);
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            throw failure(key);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            throw failure(key);
        }

        private RuntimeException failure(String key) {
            CALLS.incrementAndGet();
            switch (mode) {
                case "lease_held": return new LeaseHeldException(key, "leased by someone else", null);
                case "lease_mismatch": return new LeaseMismatchException(key, "lease id does not match", null);
                case "lease_lost": return new LeaseLostException(key, "lease expired", null);
                case "transient": return new TransientException(ErrorCode.TRANSIENT, key, "503 from server", null);
                case "throttled": return new TransientException(ErrorCode.THROTTLED, key, "slow down", null);
                case "conflict": return new TransientException(ErrorCode.CONFLICT, key, "409 conditional conflict", null);
                case "outcome_unknown": return new OutcomeUnknownException(key, "timeout after send", null);
                case "access_denied": return new AccessDeniedException(key, "403 forbidden", null);
                case "unknown": return new ObjectStoreException(ErrorCode.UNKNOWN, key, "something odd", null);
                default: return new IllegalStateException("driver bug with " + SECRET);
            }
        }
    }

    static final class Lossy implements StoreDriver {
        private final MemoryDriver target;
        private final AtomicInteger puts = new AtomicInteger();

        Lossy(MemoryDriver target) {
            this.target = target;
        }

        @Override
        public String name() {
            return "lossy";
        }

        @Override
        public Capabilities capabilities() {
            return target.capabilities();
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            if (puts.incrementAndGet() % 10 == 0) {
                GetResponse now = target.get(key, GetOptions.defaults(), false);
                return PutResponse.of(now.info().version(), content.length, now.info().lastModified());
            }
            return target.put(key, content, options);
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            return target.get(key, options, withContent);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            target.delete(key, options);
        }
    }
}
