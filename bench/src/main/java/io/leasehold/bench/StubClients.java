package io.leasehold.bench;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.leasehold.aws.S3Driver;
import io.leasehold.aws.S3Profile;
import io.leasehold.azure.AzureBlobDriver;
import io.leasehold.core.ObjectStore;
import io.leasehold.driver.memory.MemoryDriver;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the operations a benchmark compares, all over the same in-process stub transport. Paths:
 * <ul>
 *   <li>{@code raw}: the SDK called directly, over a client built with the SDK's defaults (retries on);</li>
 *   <li>{@code raw+bookkeeping}: the same, with the two metadata entries Leasehold adds to every write
 *       (write id, history), to tell the SDK's cost of sending them from the library's own cost;</li>
 *   <li>{@code leasehold}: the facade over a client the driver builds (S3: {@code S3Driver.builder()} with
 *       the stub as its HTTP client; Azure: a client configured as {@code azure://} URIs build it, one
 *       try, no retry policy);</li>
 *   <li>{@code leasehold-caller}: the facade over the very client {@code raw} uses, passed in by the caller;</li>
 *   <li>{@code leasehold-caller-configured} (S3): the facade over a caller's client whose builder went
 *       through {@code S3Driver.configureClient} (retries off once, at build time).</li>
 * </ul>
 */
public final class StubClients {
    /** The SDK called directly, as an application would. */
    public static final String RAW = "raw";
    /** The SDK called directly, with Leasehold's bookkeeping metadata on every put. */
    public static final String RAW_BOOKKEEPING = "raw+bookkeeping";
    /** The facade over a client the driver builds. */
    public static final String LEASEHOLD = "leasehold";
    /** The facade over a caller-supplied client with the SDK's default settings. */
    public static final String LEASEHOLD_CALLER = "leasehold-caller";
    /** S3 only: the facade over a caller-supplied client whose builder went through {@code S3Driver.configureClient}. */
    public static final String LEASEHOLD_CALLER_CONFIGURED = "leasehold-caller-configured";

    static final String BUCKET = "bench-bucket";
    static final URI ENDPOINT = URI.create("http://127.0.0.1:9");
    /** Azurite's public development account (documented by Microsoft; not a secret). */
    static final String DEV_ACCOUNT = "devstoreaccount1";
    static final String DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StubClients() {
    }

    /**
     * The S3 operations along one path.
     *
     * @param path {@link #RAW}, {@link #LEASEHOLD} or {@link #LEASEHOLD_CALLER}
     * @param fixture the object the stub serves
     * @return the operations
     */
    public static Ops s3(String path, Fixture fixture) {
        return s3(path, fixture, new StubS3Http(fixture));
    }

    /**
     * The S3 operations along one path, over a given stub.
     *
     * @param path a path
     * @param fixture the object the stub serves
     * @param http the stub
     * @return the operations
     */
    public static Ops s3(String path, Fixture fixture, StubS3Http http) {
        switch (path) {
            case RAW:
                return new RawS3Ops(defaultS3Client(http), BUCKET, fixture, Map.of());
            case RAW_BOOKKEEPING:
                return new RawS3Ops(defaultS3Client(http), BUCKET, fixture, fixture.metadata());
            case LEASEHOLD:
                // profile named: an unnamed profile with a custom endpoint would probe the (stub) endpoint first
                return new LeaseholdOps(ObjectStore.of(S3Driver.builder().bucket(BUCKET).profile(S3Profile.AWS)
                        .endpoint(ENDPOINT).pathStyle(true).credentialsProvider(credentials()).httpClient(http).build()),
                        fixture);
            case LEASEHOLD_CALLER:
                return new LeaseholdOps(ObjectStore.of(S3Driver.builder().client(defaultS3Client(http)).bucket(BUCKET)
                        .build()), fixture);
            case LEASEHOLD_CALLER_CONFIGURED:
                S3Client configured = S3Driver.configureClient(S3Client.builder().httpClient(http).region(Region.US_EAST_1)
                        .endpointOverride(ENDPOINT).forcePathStyle(true).credentialsProvider(credentials()), S3Profile.AWS).build();
                return new LeaseholdOps(ObjectStore.of(S3Driver.builder().client(configured).bucket(BUCKET).build()), fixture);
            default:
                throw new IllegalArgumentException("unknown path " + path);
        }
    }

    /** An S3 client as an application builds it: SDK defaults (standard retries, checksums when supported). */
    static S3Client defaultS3Client(StubS3Http http) {
        return S3Client.builder().httpClient(http).region(Region.US_EAST_1).endpointOverride(ENDPOINT)
                .forcePathStyle(true).credentialsProvider(credentials()).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCHMARK", "bench-secret-not-a-real-key"));
    }

    /**
     * The Azure operations along one path.
     *
     * @param path {@link #RAW}, {@link #LEASEHOLD} or {@link #LEASEHOLD_CALLER}
     * @param fixture the blob the stub serves
     * @return the operations
     */
    public static Ops azure(String path, Fixture fixture) {
        return azure(path, fixture, new StubAzureHttp(fixture));
    }

    /**
     * The Azure operations along one path, over a given stub.
     *
     * @param path a path
     * @param fixture the blob the stub serves
     * @param http the stub
     * @return the operations
     */
    public static Ops azure(String path, Fixture fixture, StubAzureHttp http) {
        switch (path) {
            case RAW:
                return new RawAzureOps(azureContainer(http, false), fixture, Map.of());
            case RAW_BOOKKEEPING:
                return new RawAzureOps(azureContainer(http, false), fixture, fixture.metadata());
            case LEASEHOLD:
                return new LeaseholdOps(ObjectStore.of(AzureBlobDriver.of(azureContainer(http, true))), fixture);
            case LEASEHOLD_CALLER:
                return new LeaseholdOps(ObjectStore.of(AzureBlobDriver.of(azureContainer(http, false))), fixture);
            default:
                throw new IllegalArgumentException("unknown path " + path);
        }
    }

    /** A container client; {@code singleTry} as azure:// URIs build it, else with the SDK's default retries. */
    static BlobContainerClient azureContainer(StubAzureHttp http, boolean singleTry) {
        BlobContainerClientBuilder b = new BlobContainerClientBuilder()
                .endpoint("http://127.0.0.1:9/" + DEV_ACCOUNT)
                .containerName("bench")
                .credential(new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY))
                .httpClient(http);
        if (singleTry) {
            b.retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Integer) null, (Long) null, (Long) null,
                    (String) null));
        }
        return b.buildClient();
    }

    /**
     * The facade over the memory driver, against the memory driver called directly.
     *
     * @param path {@link #RAW} (the driver) or {@link #LEASEHOLD} (the facade)
     * @param fixture the object
     * @return the operations
     */
    public static Ops memory(String path, Fixture fixture) {
        MemoryDriver driver = MemoryDriver.create();
        ObjectStore store = ObjectStore.of(driver);
        store.put(LeaseholdOps.KEY, fixture.content());
        if (LEASEHOLD.equals(path)) {
            return new LeaseholdOps(store, fixture);
        }
        if (RAW.equals(path)) {
            return new RawDriverOps(driver, fixture);
        }
        throw new IllegalArgumentException("unknown path " + path);
    }
}
