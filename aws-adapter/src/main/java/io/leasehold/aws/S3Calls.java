package io.leasehold.aws;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The object requests {@link S3Driver}'s protocols send, through one of the two SDK clients: the
 * protocols (request building, follow-up requests, the reading of answers and failures) are written
 * once as chains of futures over these calls. Over the blocking {@link S3Client} every call runs on
 * the caller's thread and returns a completed future, so a chain runs inline and the blocking methods
 * only unwrap its value; over the {@link S3AsyncClient} nothing waits.
 *
 * <p>A failed call's future holds the SDK's exception itself (never wrapped).
 *
 * <p>Thread-safety: immutable; safe for concurrent use (the SDK clients are).
 */
abstract class S3Calls {
    private final SingleAttemptPlugin perRequestPlugin;
    private final Duration attemptTimeout;

    private S3Calls(SingleAttemptPlugin perRequestPlugin, Duration attemptTimeout) {
        this.perRequestPlugin = perRequestPlugin;
        this.attemptTimeout = attemptTimeout;
    }

    /** Calls over the blocking client, on the caller's thread. */
    static S3Calls blocking(S3Client client, SingleAttemptPlugin perRequestPlugin, Duration attemptTimeout) {
        return new Blocking(client, perRequestPlugin, attemptTimeout);
    }

    /** Calls over the asynchronous client; futures complete on the client's completion threads. */
    static S3Calls nonBlocking(S3AsyncClient client, SingleAttemptPlugin perRequestPlugin, Duration attemptTimeout) {
        return new NonBlocking(client, perRequestPlugin, attemptTimeout);
    }

    /**
     * Whether calls run on the caller's thread (the blocking client): there an interrupted call leaves
     * the thread interrupted, while an SDK thread's flag is never touched.
     */
    abstract boolean onCallersThread();

    /** The plugin each request over this client carries (a caller's client not prepared for the driver), or null. */
    final SingleAttemptPlugin perRequestPlugin() {
        return perRequestPlugin;
    }

    /** The client's attempt timeout, which long transfers extend; null when the client has none. */
    final Duration attemptTimeout() {
        return attemptTimeout;
    }

    abstract CompletableFuture<PutObjectResponse> putObject(PutObjectRequest request, byte[] content);

    abstract CompletableFuture<ResponseBytes<GetObjectResponse>> getObject(GetObjectRequest request);

    abstract CompletableFuture<HeadObjectResponse> headObject(HeadObjectRequest request);

    abstract CompletableFuture<DeleteObjectResponse> deleteObject(DeleteObjectRequest request);

    /**
     * The value of a future of the blocking calls (complete already), or its failure rethrown as it is.
     *
     * @throws RuntimeException the failure of the chain
     */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }

    /** The failure itself, without the wrappers future chains add. */
    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** A future failed with {@code t}. */
    static <T> CompletableFuture<T> failed(Throwable t) {
        CompletableFuture<T> f = new CompletableFuture<>();
        f.completeExceptionally(t);
        return f;
    }

    /** The future a step returns, or a failed one if it throws (bad input found before sending). */
    static <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    private static final class Blocking extends S3Calls {
        private final S3Client client;

        Blocking(S3Client client, SingleAttemptPlugin perRequestPlugin, Duration attemptTimeout) {
            super(perRequestPlugin, attemptTimeout);
            this.client = client;
        }

        @Override
        boolean onCallersThread() {
            return true;
        }

        @Override
        CompletableFuture<PutObjectResponse> putObject(PutObjectRequest request, byte[] content) {
            // The facade hands over an array nobody changes during the call: no copy (fromBytes copies).
            return inline(() -> client.putObject(request, RequestBody.fromContentProvider(
                    ContentStreamProvider.fromByteArrayUnsafe(content), content.length, "application/octet-stream")));
        }

        @Override
        CompletableFuture<ResponseBytes<GetObjectResponse>> getObject(GetObjectRequest request) {
            return inline(() -> client.getObjectAsBytes(request));
        }

        @Override
        CompletableFuture<HeadObjectResponse> headObject(HeadObjectRequest request) {
            return inline(() -> client.headObject(request));
        }

        @Override
        CompletableFuture<DeleteObjectResponse> deleteObject(DeleteObjectRequest request) {
            return inline(() -> client.deleteObject(request));
        }

        private static <T> CompletableFuture<T> inline(Supplier<T> call) {
            try {
                return CompletableFuture.completedFuture(call.get());
            } catch (RuntimeException e) {
                return failed(e);
            }
        }
    }

    private static final class NonBlocking extends S3Calls {
        private final S3AsyncClient client;

        NonBlocking(S3AsyncClient client, SingleAttemptPlugin perRequestPlugin, Duration attemptTimeout) {
            super(perRequestPlugin, attemptTimeout);
            this.client = client;
        }

        @Override
        boolean onCallersThread() {
            return false;
        }

        @Override
        CompletableFuture<PutObjectResponse> putObject(PutObjectRequest request, byte[] content) {
            // Unsafe: no copy; the array stays unchanged until the future completes (the SPI's promise).
            return unwrapped(() -> client.putObject(request, AsyncRequestBody.fromBytesUnsafe(content)));
        }

        @Override
        CompletableFuture<ResponseBytes<GetObjectResponse>> getObject(GetObjectRequest request) {
            return unwrapped(() -> client.getObject(request, AsyncResponseTransformer.toBytes()));
        }

        @Override
        CompletableFuture<HeadObjectResponse> headObject(HeadObjectRequest request) {
            return unwrapped(() -> client.headObject(request));
        }

        @Override
        CompletableFuture<DeleteObjectResponse> deleteObject(DeleteObjectRequest request) {
            return unwrapped(() -> client.deleteObject(request));
        }

        /** The SDK's future with its failure unwrapped (the SDK wraps it in a CompletionException). */
        private static <T> CompletableFuture<T> unwrapped(Supplier<CompletableFuture<T>> call) {
            CompletableFuture<T> sent;
            try {
                sent = call.get();
            } catch (RuntimeException e) {
                return failed(e);
            }
            CompletableFuture<T> result = new CompletableFuture<>();
            sent.whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(unwrap(failure));
                } else {
                    result.complete(value);
                }
            });
            return result;
        }
    }
}
