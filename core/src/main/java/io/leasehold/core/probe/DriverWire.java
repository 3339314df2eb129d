package io.leasehold.core.probe;

import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.ReadConsistency;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.ProbeWire;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The probe's wire through any driver, by way of the portable API (so options the driver does not
 * declare are refused before sending and answered {@link Answer#notSent}). Each header form maps to
 * the portable option that means it; a form with no portable meaning ({@code If-None-Match} other
 * than {@code *}) is not sent. Errors become the status their {@link ErrorCode} stands for, with the
 * code's name. Requests are counted as driver calls: the facade may need more than one per request.
 *
 * <p>Thread-safety: as thread-safe as the driver.
 */
final class DriverWire implements ProbeWire {
    private final StoreDriver driver;
    private final ObjectStore store;
    private final ReadConsistency consistency;

    DriverWire(StoreDriver driver, ProbeBudget budget) {
        this.driver = driver;
        this.store = ObjectStore.of(new Counting(driver, budget));
        this.consistency = driver.capabilities().supports(Capability.STRONG_READS)
                ? ReadConsistency.STRONG : ReadConsistency.EVENTUAL;
    }

    @Override
    public String target() {
        return driver.name() + " driver (portable probe through the driver)";
    }

    @Override
    public boolean offersStrongReads() {
        return consistency == ReadConsistency.STRONG;
    }

    @Override
    public Answer put(String key, byte[] content, Conditions conditions, Map<String, String> metadata) {
        return answer(() -> {
            PutOptions.Builder b = PutOptions.builder().mode(mode(conditions));
            metadata.forEach(b::metadata);
            conditions.ifModifiedSince().map(DriverWire::instant).ifPresent(b::ifModifiedSince);
            conditions.ifUnmodifiedSince().map(DriverWire::instant).ifPresent(b::ifUnmodifiedSince);
            PutResult r = store.put(key, content, b.build());
            return Answer.of(200).withEtag(r.version().etag().quoted()).withVersionId(r.version().versionId().orElse(null));
        });
    }

    /** The put mode a header form means. */
    private static PutMode mode(Conditions c) {
        String ifMatch = c.ifMatch().map(String::strip).orElse(null);
        String ifNoneMatch = c.ifNoneMatch().map(String::strip).orElse(null);
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.equals("*") || ifMatch != null) {
                throw new NotSupportedException(null, "If-None-Match: " + ifNoneMatch + " has no portable form", null);
            }
            return PutMode.create();
        }
        if (ifMatch == null) {
            return PutMode.overwrite();
        }
        return ifMatch.equals("*") ? PutMode.replace() : PutMode.update(ObjectVersion.of(ifMatch));
    }

    @Override
    public Answer get(String key, Conditions conditions) {
        return read(key, conditions, true);
    }

    @Override
    public Answer head(String key, Conditions conditions) {
        return read(key, conditions, false);
    }

    private Answer read(String key, Conditions conditions, boolean withContent) {
        return answer(() -> {
            GetOptions.Builder b = GetOptions.builder().consistency(consistency);
            conditions.ifMatch().ifPresent(b::ifMatch);
            conditions.ifNoneMatch().ifPresent(b::ifNoneMatch);
            conditions.ifModifiedSince().map(DriverWire::instant).ifPresent(b::ifModifiedSince);
            conditions.ifUnmodifiedSince().map(DriverWire::instant).ifPresent(b::ifUnmodifiedSince);
            GetResult r = withContent ? store.get(key, b.build()) : store.head(key, b.build());
            if (r.isNotModified()) {
                return Answer.of(304);
            }
            ObjectInfo info = r.info();
            return Answer.of(200).withEtag(info.version().etag().quoted()).withLastModified(info.lastModified())
                    .withMetadata(info.userMetadata()).withBody(withContent ? r.content() : null);
        });
    }

    @Override
    public Answer delete(String key, Conditions conditions) {
        return answer(() -> {
            DeleteOptions.Builder b = DeleteOptions.builder();
            conditions.ifMatch().ifPresent(b::ifMatch);
            store.delete(key, b.build());
            return Answer.of(204);
        });
    }

    private static Instant instant(String httpDate) {
        return ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    /** The call's answer, or the status its failure stands for. */
    private static Answer answer(Supplier<Answer> call) {
        try {
            return call.get();
        } catch (ProbeBudget.BudgetSpent e) {
            throw e;
        } catch (ObjectStoreException e) {
            ErrorCode code = e.code();
            // Refused by the facade or the driver before anything was sent.
            if (code == ErrorCode.NOT_SUPPORTED || code == ErrorCode.INVALID_ARGUMENT) {
                return Answer.notSent(code.name());
            }
            return Answer.error(status(code), code.name());
        }
    }

    private static int status(ErrorCode code) {
        switch (code) {
            case NOT_FOUND:
                return 404;
            case ALREADY_EXISTS:
            case CONFLICT:
                return 409;
            case PRECONDITION_FAILED:
                return 412;
            case ACCESS_DENIED:
                return 403;
            case THROTTLED:
            case TRANSIENT:
                return 503;
            case LEASE_HELD:
            case LEASE_MISMATCH:
            case LEASE_LOST:
                return 423;
            default:
                return 500;
        }
    }

    /** Spends one request of the budget per driver call. */
    private static final class Counting extends ForwardingStoreDriver {
        private final ProbeBudget budget;

        Counting(StoreDriver target, ProbeBudget budget) {
            super(target);
            this.budget = budget;
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            budget.spend();
            return super.put(key, content, options);
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            budget.spend();
            return super.get(key, options, withContent);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            budget.spend();
            super.delete(key, options);
        }
    }
}
