package io.leasehold.bench;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobDownloadContentResponse;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import java.util.Map;

/** The same requests written directly against the Azure SDK, as an application would. */
final class RawAzureOps implements Ops {
    private final BlobContainerClient container;
    private final byte[] content;
    private final String quotedEtag;
    private final Map<String, String> metadata;

    /**
     * @param metadata user metadata sent with every put (empty, or Leasehold's bookkeeping to price its
     *     headers apart from the library's code)
     */
    RawAzureOps(BlobContainerClient container, Fixture fixture, Map<String, String> metadata) {
        this.container = container;
        this.content = fixture.content();
        this.quotedEtag = "\"" + fixture.etag() + "\"";
        this.metadata = metadata;
    }

    private BlockBlobSimpleUploadOptions upload(byte[] bytes) {
        BlockBlobSimpleUploadOptions options = new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(bytes));
        return metadata.isEmpty() ? options : options.setMetadata(metadata);
    }

    private BlobClient blob() {
        return container.getBlobClient(LeaseholdOps.KEY);
    }

    @Override
    public Object put() {
        return blob().getBlockBlobClient().uploadWithResponse(upload(content), null, Context.NONE);
    }

    @Override
    public Object putIfMatch() {
        return blob().getBlockBlobClient().uploadWithResponse(upload(content)
                .setRequestConditions(new BlobRequestConditions().setIfMatch(quotedEtag)), null, Context.NONE);
    }

    @Override
    public Object get() {
        return blob().downloadContentWithResponse(null, null, null, Context.NONE);
    }

    @Override
    public Object getIfNoneMatch() {
        try {
            return blob().downloadContentWithResponse(null, new BlobRequestConditions().setIfNoneMatch(quotedEtag),
                    null, Context.NONE);
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 304) {
                return e; // how the SDK reports "not modified"
            }
            throw e;
        }
    }

    @Override
    public Object update() {
        BlobClient blob = blob();
        BlobDownloadContentResponse current = blob.downloadContentWithResponse(null, null, null, Context.NONE);
        byte[] next = Fixture.bump(current.getValue().toBytes());
        return blob.getBlockBlobClient().uploadWithResponse(upload(next)
                .setRequestConditions(new BlobRequestConditions().setIfMatch(current.getDeserializedHeaders().getETag())),
                null, Context.NONE);
    }

    @Override
    public void close() {
        // the container client holds nothing to release
    }
}
