package io.leasehold.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import io.leasehold.core.AccessDeniedException;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.TransientException;
import io.leasehold.spi.kit.Failures;
import io.leasehold.spi.RequestKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Turns Azure SDK failures into the portable exception hierarchy. Messages carry the HTTP status and
 * Azure error code, never request URLs, SAS tokens, keys or lease ids.
 *
 * <h2>What proves that a mutation was not applied</h2>
 * For a put, delete, block-list commit or lease operation only Azure's own words count
 * ({@link Failures}): the error code in the {@code x-ms-error-code} header, which Azure sends with
 * every failed operation (version 2017-07-29 and later; the only place the code is on a HEAD answer).
 * <table>
 *   <caption>Answers to a mutation that prove it was not applied</caption>
 *   <tr><th>Answer</th><th>Becomes</th><th>Why</th></tr>
 *   <tr><td>412 {@code ConditionNotMet} (or any 412), 409 {@code BlobAlreadyExists}</td>
 *       <td>precondition failed / already exists</td><td>the condition was evaluated and failed</td></tr>
 *   <tr><td>404 {@code BlobNotFound} (or any 404)</td><td>not found / precondition failed (update)</td>
 *       <td>the blob the request needs is not there</td></tr>
 *   <tr><td>409/412 lease codes ({@code LeaseAlreadyPresent}, {@code LeaseIdMismatchWith...},
 *       {@code LeaseNotPresentWith...}, {@code LeaseIsBroken...}, {@code LeaseLost}...)</td>
 *       <td>lease held / mismatch / lost</td><td>the lease check refused the request</td></tr>
 *   <tr><td>400 {@code Md5Mismatch} on a staged block</td><td>{@link ErrorCode#TRANSIENT}</td>
 *       <td>the block arrived corrupted and was not stored</td></tr>
 * </table>
 * Nothing else is proof, so everything else that may follow a forwarded request is
 * {@link Failures#unanswered unanswered} (outcome unknown for a mutation, transient for a read or a
 * staged block):
 * <ul>
 *   <li>a 408, 409, 429 or 5xx without {@code x-ms-error-code} (plain text, HTML or no body): what a
 *       proxy, load balancer or gateway answers, also after forwarding the request. (For some
 *       operations the SDK cannot even read such an answer and throws an
 *       {@code IllegalStateException} about its text Content-Type instead; that is treated alike.)</li>
 *   <li>500 {@code OperationTimedOut} and 500 {@code InternalError}: the request was taken and not
 *       finished in time, or failed inside the service; Azure documents neither outcome.</li>
 *   <li>503 {@code ServerBusy}: every message Azure documents for it reads like a refusal at
 *       admission (account ingress, egress or request-rate limits; "unable to receive requests"),
 *       but Azure never says the request was not applied, and it names 503 Server Busy and 500
 *       Operation Timeout together as its answers to an overloaded partition. Without that
 *       statement it proves nothing for a mutation: the facade reads back (a conditional write whose
 *       base is still current is then sent again; a create of an absent key stays unknown). Reads
 *       and staged blocks get {@link ErrorCode#THROTTLED}.</li>
 * </ul>
 *
 * <p>Thread-safety: stateless.
 */
final class AzureErrors {
    /** What the failed request was, which decides the meaning of ambiguous statuses. */
    enum Op {
        /** Get, head or lease status: safe to retry, never changes anything. */
        READ(RequestKind.READ),
        /** Put with If-None-Match: * (create-if-absent). */
        CREATE(RequestKind.WRITE),
        /** Put with If-Match (update or replace). */
        UPDATE(RequestKind.WRITE),
        /** Unconditional put. */
        OVERWRITE(RequestKind.WRITE),
        /** Delete. */
        DELETE(RequestKind.WRITE),
        /** Lease acquire, renew, release, break or change. */
        LEASE(RequestKind.LEASE),
        /** Put Block of a streaming put: invisible until committed, replaced when sent again. */
        STAGE(RequestKind.STAGE);

        /** What kind of request this is for the ambiguity rule ({@link Failures}). */
        final RequestKind kind;

        Op(RequestKind kind) {
            this.kind = kind;
        }
    }

    private static final HttpHeaderName ERROR_CODE = HttpHeaderName.fromString("x-ms-error-code");

    private AzureErrors() {
    }

    /**
     * Maps any failure of one SDK call.
     *
     * @param t what the SDK threw
     * @param op the kind of request
     * @param key the key, for the exception
     * @param container the container name, for messages about it
     * @return the portable exception to throw
     */
    static ObjectStoreException map(Throwable t, Op op, String key, String container) {
        if (t instanceof ObjectStoreException) {
            return (ObjectStoreException) t;
        }
        HttpResponseException service = find(t, HttpResponseException.class);
        if (service != null && service.getResponse() != null) {
            return mapService(service, op, key, container);
        }
        if (unreadableErrorBody(t)) {
            return Failures.withoutStoreCode(op.kind, key, "Azure answered an error whose body is not Azure's (the"
                    + " SDK could not read it; text Content-Type)", t);
        }
        return mapTransport(t, op, key);
    }

    /**
     * Whether the SDK failed to read an error answer because its body is text (plain or HTML): for
     * some operations (delete, lease operations) azure-core then throws this instead of an
     * {@link HttpResponseException}, losing the status. Only an error answer is read as the storage
     * error model, and Azure words its errors in XML, so this is an answer Azure did not word.
     */
    static boolean unreadableErrorBody(Throwable t) {
        IllegalStateException e = find(t, IllegalStateException.class);
        String message = e == null ? null : e.getMessage();
        return message != null && message.startsWith("Unsupported text Content-Type") && message.contains("StorageError");
    }

    private static ObjectStoreException mapService(HttpResponseException e, Op op, String key, String container) {
        int status = e.getResponse().getStatusCode();
        BlobErrorCode code = errorCode(e);
        String azureCode = code == null ? "no error code" : code.toString();
        String what = "Azure answered " + status + " " + azureCode;
        if (code != null) {
            ObjectStoreException byCode = byErrorCode(code, e, op, key, container, what);
            if (byCode != null) {
                return byCode;
            }
        }
        switch (status) {
            case 304:
                // Callers turn 304 into GetResult.notModified before mapping; anything else is unexpected.
                return new ObjectStoreException(ErrorCode.UNKNOWN, key, what + " (not modified) where no condition allowed it", e);
            case 401:
            case 403:
                return new AccessDeniedException(key, what + ": credentials are missing, wrong or lack permission"
                        + " (check the account key, SAS token or role assignment)", e);
            case 404:
                return op == Op.UPDATE
                        ? new PreconditionFailedException(key, what + ": the object to update does not exist", e)
                        : new ObjectNotFoundException(key, what, e);
            case 412:
                return op == Op.CREATE
                        ? new ObjectAlreadyExistsException(key, what + ": create-if-absent found the object", e)
                        : new PreconditionFailedException(key, what + ": a condition did not hold", e);
            default:
                break;
        }
        if (code == null && Failures.saysNothingWithoutCode(status)) {
            return Failures.withoutStoreCode(op.kind, key, what, e);
        }
        if (status == 409) {
            // Azure's own refusal with a code not named above.
            return op == Op.CREATE
                    ? new ObjectAlreadyExistsException(key, what, e)
                    : new ObjectStoreException(ErrorCode.UNKNOWN, key, what, e);
        }
        if (Failures.saysNothingWithoutCode(status)) {
            // A code Azure does not document as "not applied".
            return serverError(op, key, what, e);
        }
        return new ObjectStoreException(ErrorCode.UNKNOWN, key, what, e);
    }

    /** Azure's error code: parsed by the SDK, else the x-ms-error-code header (HEAD responses have no body). */
    static BlobErrorCode errorCode(HttpResponseException e) {
        if (e instanceof BlobStorageException && ((BlobStorageException) e).getErrorCode() != null) {
            return ((BlobStorageException) e).getErrorCode();
        }
        String header = e.getResponse() == null ? null : e.getResponse().getHeaders().getValue(ERROR_CODE);
        return header == null || header.isBlank() ? null : BlobErrorCode.fromString(header.trim());
    }

    /** The cases decided by Azure's error code alone (lease codes arrive with 409 or 412). */
    private static ObjectStoreException byErrorCode(BlobErrorCode code, HttpResponseException e, Op op, String key,
                                                    String container, String what) {
        if (code.equals(BlobErrorCode.CONTAINER_NOT_FOUND)) {
            return new ObjectNotFoundException(key, what + ": container '" + container + "' does not exist"
                    + " (create it, or open the store with createContainer=true)", e);
        }
        if (code.equals(BlobErrorCode.BLOB_NOT_FOUND)) {
            return op == Op.UPDATE
                    ? new PreconditionFailedException(key, what + ": the object to update does not exist", e)
                    : new ObjectNotFoundException(key, what, e);
        }
        if (code.equals(BlobErrorCode.BLOB_ALREADY_EXISTS)) {
            return new ObjectAlreadyExistsException(key, what + ": create-if-absent found the object", e);
        }
        if (code.equals(BlobErrorCode.CONDITION_NOT_MET) || code.equals(BlobErrorCode.TARGET_CONDITION_NOT_MET)) {
            // Azure says 412 where Azurite may say 409 for a lost create: both mean "already exists" there.
            return op == Op.CREATE
                    ? new ObjectAlreadyExistsException(key, what + ": create-if-absent found the object", e)
                    : new PreconditionFailedException(key, what + ": a condition did not hold", e);
        }
        if (code.equals(BlobErrorCode.LEASE_ID_MISSING)) {
            return new LeaseHeldException(key, what + ": the object is leased and the request carried no lease id", e);
        }
        if (code.equals(BlobErrorCode.LEASE_ID_MISMATCH_WITH_BLOB_OPERATION)) {
            return new LeaseMismatchException(key, what + ": the lease id given is not the object's current lease", e);
        }
        if (code.equals(BlobErrorCode.LEASE_NOT_PRESENT_WITH_BLOB_OPERATION)) {
            return new LeaseLostException(key, what + ": a lease id was given but the object has no active lease", e);
        }
        if (code.equals(BlobErrorCode.LEASE_ALREADY_PRESENT)) {
            return new LeaseHeldException(key, what + ": another lease id holds the object", e);
        }
        if (code.equals(BlobErrorCode.LEASE_IS_BREAKING_AND_CANNOT_BE_ACQUIRED)) {
            return new LeaseHeldException(key, what + ": the lease is breaking; acquire after the break period", e);
        }
        if (code.equals(BlobErrorCode.LEASE_ID_MISMATCH_WITH_LEASE_OPERATION)) {
            return new LeaseMismatchException(key, what + ": the lease id given is not the object's current lease", e);
        }
        if (code.equals(BlobErrorCode.LEASE_IS_BROKEN_AND_CANNOT_BE_RENEWED)
                || code.equals(BlobErrorCode.LEASE_IS_BREAKING_AND_CANNOT_BE_CHANGED)
                || code.equals(BlobErrorCode.LEASE_ALREADY_BROKEN)) {
            return new LeaseLostException(key, what + ": the lease was broken", e);
        }
        if (code.equals(BlobErrorCode.LEASE_NOT_PRESENT_WITH_LEASE_OPERATION)) {
            return new LeaseLostException(key, what + ": the object has no active lease (released, or expired and taken)", e);
        }
        if (code.equals(BlobErrorCode.LEASE_LOST)) {
            return new LeaseLostException(key, what + ": the lease expired", e);
        }
        if (op == Op.STAGE && code.equals(BlobErrorCode.MD5MISMATCH)) {
            // The block arrived corrupted (its Content-MD5 did not match) and was not stored.
            return new TransientException(ErrorCode.TRANSIENT, key, what + ": the block arrived corrupted", e);
        }
        if (code.equals(BlobErrorCode.SERVER_BUSY)) {
            if (op.kind.mayChangeState()) {
                return Failures.unanswered(op.kind, key, what + ": the service asked to slow down (Azure does not say"
                        + " that such a request was not applied)", e);
            }
            return new TransientException(ErrorCode.THROTTLED, key, what + ": the service asked to slow down", e);
        }
        if (code.equals(BlobErrorCode.OPERATION_TIMED_OUT) || code.equals(BlobErrorCode.INTERNAL_ERROR)) {
            return serverError(op, key, what, e);
        }
        if (code.equals(BlobErrorCode.AUTHENTICATION_FAILED) || code.equals(BlobErrorCode.AUTHORIZATION_FAILURE)
                || code.equals(BlobErrorCode.AUTHORIZATION_PERMISSION_MISMATCH)
                || code.equals(BlobErrorCode.INSUFFICIENT_ACCOUNT_PERMISSIONS)) {
            return new AccessDeniedException(key, what + ": credentials are missing, wrong or lack permission"
                    + " (check the account key, SAS token or role assignment)", e);
        }
        return null;
    }

    /** A 5xx: a read can be retried; a mutation may have been applied before the failure. */
    private static ObjectStoreException serverError(Op op, String key, String what, Throwable e) {
        return Failures.unanswered(op.kind, key, what, e);
    }

    /** No HTTP response: decide whether the request can have reached the service. */
    private static ObjectStoreException mapTransport(Throwable t, Op op, String key) {
        if (find(t, ConnectException.class) != null || find(t, HttpConnectTimeoutException.class) != null
                || find(t, UnknownHostException.class) != null || find(t, UnresolvedAddressException.class) != null) {
            // The connection was never established, so nothing was sent.
            return Failures.notSent(key, "could not connect to Azure (" + describe(t) + ")", t);
        }
        boolean io = find(t, IOException.class) != null || find(t, UncheckedIOException.class) != null
                || find(t, TimeoutException.class) != null || find(t, HttpTimeoutException.class) != null;
        if (io) {
            String what = "no response from Azure (" + describe(t) + ")";
            return Failures.unanswered(op.kind, key, what, t);
        }
        return new ObjectStoreException(ErrorCode.UNKNOWN, key, "Azure SDK failed with " + t.getClass().getSimpleName(), t);
    }

    /** The innermost exception's class name: messages of transport errors may embed URLs. */
    private static String describe(Throwable t) {
        Throwable root = t;
        for (int depth = 0; root.getCause() != null && depth < 16; depth++) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName().toLowerCase(Locale.ROOT).replace("exception", " error").trim();
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            for (Throwable s : t.getSuppressed()) {
                if (type.isInstance(s)) {
                    return type.cast(s);
                }
            }
        }
        return null;
    }
}
