package io.leasehold.bench;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobDownloadContentResponse;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;

/** The same requests written directly against the Azure SDK, as an application would. */
final class RawAzureOps implements Ops {
    private final BlobContainerClient container;
    private final byte[] content;
    private final String quotedEtag;

    RawAzureOps(BlobContainerClient container, Fixture fixture) {
        this.container = container;
        this.content = fixture.content();
        this.quotedEtag = "\"" + fixture.etag() + "\"";
    }

    private BlobClient blob() {
        return container.getBlobClient(LeaseholdOps.KEY);
    }

    @Override
    public Object put() {
        return blob().getBlockBlobClient().uploadWithResponse(
                new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content)), null, Context.NONE);
    }

    @Override
    public Object putIfMatch() {
        return blob().getBlockBlobClient().uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
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
        return blob.getBlockBlobClient().uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(next))
                .setRequestConditions(new BlobRequestConditions().setIfMatch(current.getDeserializedHeaders().getETag())),
                null, Context.NONE);
    }

    @Override
    public void close() {
        // the container client holds nothing to release
    }
}
