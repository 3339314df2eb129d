package io.leasehold.bench.contention;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobDownloadContentResponse;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.leasehold.aws.S3Driver;
import io.leasehold.aws.S3Profile;
import io.leasehold.azure.AzureBlobDriver;
import io.leasehold.bench.CountingAzureHttp;
import io.leasehold.bench.CountingDriver;
import io.leasehold.bench.CountingS3Http;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.driver.file.FileDriver;
import io.leasehold.driver.memory.MemoryDriver;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * One store under test, described by a spec string that a child JVM can rebuild the same store from:
 * {@code memory}, {@code file|DIR}, {@code azurite|ENDPOINT|CONTAINER},
 * {@code rgw|ENDPOINT|BUCKET|ACCESS_KEY_ENV|SECRET_KEY_ENV} (credentials are read from the named
 * environment variables, never passed on a command line).
 */
final class Target {
    private static final String DEV_ACCOUNT = "devstoreaccount1";
    /** Azurite's public development key (documented by Microsoft; not a secret). */
    private static final String DEV_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final MemoryDriver SHARED_MEMORY = MemoryDriver.create();

    final String spec;
    final String name;

    Target(String spec) {
        this.spec = spec;
        this.name = spec.split("\\|")[0];
    }

    /** Whether several JVMs can share this store. */
    boolean sharedAcrossProcesses() {
        return !name.equals("memory");
    }

    /** A store through Leasehold, with its requests counted. */
    Counted<ObjectStore> leasehold() {
        String[] p = spec.split("\\|");
        switch (name) {
            case "memory": {
                CountingDriver d = new CountingDriver(new Unclosed(SHARED_MEMORY));
                return new Counted<>(ObjectStore.of(d), d::requests);
            }
            case "file": {
                CountingDriver d = new CountingDriver(FileDriver.open(Path.of(p[1])));
                return new Counted<>(ObjectStore.of(d), d::requests);
            }
            case "azurite": {
                CountingAzureHttp http = azureHttp();
                return new Counted<>(ObjectStore.of(AzureBlobDriver.of(container(p, http, true))), http::requests);
            }
            case "rgw": {
                CountingS3Http http = new CountingS3Http(ApacheHttpClient.builder().maxConnections(64).build());
                S3Driver driver = S3Driver.builder().bucket(p[2]).profile(S3Profile.CEPH_RGW).endpoint(URI.create(p[1]))
                        .credentialsProvider(rgwCredentials(p)).httpClient(http).build();
                return new Counted<>(ObjectStore.of(driver), http::requests);
            }
            default:
                throw new IllegalArgumentException("unknown store " + spec);
        }
    }

    /** The store's own API, as an application would call it (SDK defaults, SDK retries on). */
    Cas raw() {
        String[] p = spec.split("\\|");
        switch (name) {
            case "memory":
                return new StoreCas(new CountingDriver(new Unclosed(SHARED_MEMORY)));
            case "file":
                return new StoreCas(new CountingDriver(FileDriver.open(Path.of(p[1]))));
            case "azurite":
                return new AzureCas(container(p, azureHttp(), false));
            case "rgw":
                return new S3Cas(p[2], rgwCredentials(p), URI.create(p[1]));
            default:
                throw new IllegalArgumentException("unknown store " + spec);
        }
    }

    private static CountingAzureHttp azureHttp() {
        return new CountingAzureHttp(new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)).build());
    }

    private static BlobContainerClient container(String[] p, CountingAzureHttp http, boolean singleTry) {
        BlobContainerClientBuilder b = new BlobContainerClientBuilder().endpoint(p[1]).containerName(p[2])
                .credential(new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY)).httpClient(http);
        if (singleTry) {
            b.retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Integer) null, (Long) null, (Long) null,
                    (String) null));
        }
        return b.buildClient();
    }

    private static StaticCredentialsProvider rgwCredentials(String[] p) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(System.getenv(p[3]), System.getenv(p[4])));
    }

    /** A store with a request counter. */
    static final class Counted<T> {
        final T value;
        final java.util.function.LongSupplier requests;

        Counted(T value, java.util.function.LongSupplier requests) {
            this.value = value;
            this.requests = requests;
        }
    }

    /** The process-wide memory driver, never closed by a store that wraps it. */
    private static final class Unclosed extends io.leasehold.spi.kit.ForwardingStoreDriver {
        Unclosed(MemoryDriver d) {
            super(d);
        }

        @Override
        public void close() {
            // shared by the whole process
        }
    }

    /** Memory and file: the naive loop over the library's conditional put (no update()). */
    private static final class StoreCas implements Cas {
        private final CountingDriver driver;
        private final ObjectStore store;

        StoreCas(CountingDriver driver) {
            this.driver = driver;
            this.store = ObjectStore.of(driver, io.github.resilience4j.retry.RetryConfig.custom().maxAttempts(1).build());
        }

        @Override
        public Current read(String key) {
            try {
                GetResult r = store.get(key);
                return new Current(r.content(), r.info().version().etag().value());
            } catch (ObjectNotFoundException absent) {
                return null;
            }
        }

        @Override
        public void write(String key, byte[] content, String etag) {
            store.put(key, content, PutOptions.of(etag == null ? PutMode.create() : PutMode.update(ObjectVersion.of(etag))));
        }

        @Override
        public long requests() {
            return driver.requests();
        }
    }

    /** Azure: download, then upload with If-Match (If-None-Match: * when absent). */
    private static final class AzureCas implements Cas {
        private final BlobContainerClient container;
        private final CountingAzureHttp http;

        AzureCas(BlobContainerClient container) {
            this.container = container;
            this.http = (CountingAzureHttp) container.getHttpPipeline().getHttpClient();
        }

        @Override
        public Current read(String key) {
            try {
                BlobDownloadContentResponse r = container.getBlobClient(key).downloadContentWithResponse(null, null,
                        null, Context.NONE);
                return new Current(r.getValue().toBytes(), r.getDeserializedHeaders().getETag());
            } catch (BlobStorageException e) {
                if (e.getStatusCode() == 404) {
                    return null;
                }
                throw e;
            }
        }

        @Override
        public void write(String key, byte[] content, String etag) {
            BlobRequestConditions conditions = new BlobRequestConditions();
            if (etag == null) {
                conditions.setIfNoneMatch("*");
            } else {
                conditions.setIfMatch(etag);
            }
            container.getBlobClient(key).getBlockBlobClient().uploadWithResponse(
                    new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content)).setRequestConditions(conditions),
                    null, Context.NONE);
        }

        @Override
        public long requests() {
            return http.requests();
        }
    }

    /** S3 on RGW: GetObject, then PutObject with If-Match (RGW wants the ETag unquoted). */
    private static final class S3Cas implements Cas {
        private final S3Client client;
        private final CountingS3Http http;
        private final String bucket;

        S3Cas(String bucket, StaticCredentialsProvider credentials, URI endpoint) {
            this.bucket = bucket;
            this.http = new CountingS3Http(ApacheHttpClient.builder().maxConnections(64).build());
            // What RGW needs of any client (it rejects the SDK's default checksums); retries left at the SDK default.
            this.client = S3Client.builder().httpClient(http).endpointOverride(endpoint).region(Region.US_EAST_1)
                    .forcePathStyle(true).credentialsProvider(credentials)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofSeconds(30)))
                    .build();
        }

        @Override
        public Current read(String key) {
            try {
                var r = client.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build());
                String etag = r.response().eTag();
                return new Current(r.asByteArray(), etag.startsWith("\"") ? etag.substring(1, etag.length() - 1) : etag);
            } catch (NoSuchKeyException absent) {
                return null;
            }
        }

        @Override
        public void write(String key, byte[] content, String etag) {
            PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(key);
            if (etag == null) {
                b.ifNoneMatch("*");
            } else {
                b.ifMatch(etag);
            }
            client.putObject(b.build(), RequestBody.fromBytes(content));
        }

        @Override
        public long requests() {
            return http.requests();
        }
    }
}
