package io.leasehold.azure;

import io.leasehold.spi.PutResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.leasehold.azure.AzureErrors.Op;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.TransientException;
import io.leasehold.spi.StagedUpload;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * A streaming put as staged blocks of a block blob: Put Block for each part (with its
 * {@code Content-MD5}, so Azure refuses a corrupted block), then Put Block List with the put's
 * {@link BlobRequestConditions} ({@code If-None-Match: *} to create, {@code If-Match} to update or
 * replace) and the whole content's MD5 as the blob's {@code Content-MD5}, so downloads can verify it.
 *
 * <h2>Leftover blocks</h2>
 * Azure offers no request that discards uncommitted blocks: {@link #abort()} does nothing. A
 * commit of the blob (by anyone) discards every uncommitted block it does not list, and Azure
 * deletes uncommitted blocks a week after the blob's last Put Block. So blocks of a loser that were
 * staged before the winner committed are gone with the winner's commit; blocks staged after it stay
 * invisible (not part of any version) until the next commit of the blob or the week is over. The
 * same rule makes concurrent uploads of one blob interfere: a commit discards the other uploads'
 * staged blocks, whose own commit then fails (Azure {@code InvalidBlockList}, reported as
 * {@link ErrorCode#CONFLICT}: nothing was written, put again).
 *
 * <p>Thread-safety: {@link #uploadPart} is safe for concurrent calls.
 */
final class AzureBlockUpload implements StagedUpload {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AzureBlobDriver driver;
    private final String key;
    private final BlockBlobClient blob;
    private final PutOptions options;
    private final BlobRequestConditions conditions;
    private final Op op;
    /** Identifies this upload's blocks among other uploads' blocks of the same blob. */
    private final String uploadTag;

    AzureBlockUpload(AzureBlobDriver driver, String key, BlockBlobClient blob, PutOptions options,
                     BlobRequestConditions conditions, Op op) {
        this.driver = driver;
        this.key = key;
        this.blob = blob;
        this.options = options;
        this.conditions = conditions;
        this.op = op;
        this.uploadTag = String.format(Locale.ROOT, "%016x", RANDOM.nextLong());
    }

    /**
     * The block id of a part: {@code lh-<upload>-<part>} in base64, the same length for every block
     * (Azure requires equal lengths within a blob).
     */
    String blockId(int partNumber) {
        String id = "lh-" + uploadTag + "-" + String.format(Locale.ROOT, "%06d", partNumber);
        return Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void uploadPart(int partNumber, byte[] data, int length) {
        // A view of the caller's buffer, not a copy.
        BlockBlobStageBlockOptions stage = new BlockBlobStageBlockOptions(blockId(partNumber),
                BinaryData.fromByteBuffer(ByteBuffer.wrap(data, 0, length))).setContentMd5(md5(data, length));
        options.leaseId().ifPresent(stage::setLeaseId);
        try {
            blob.stageBlockWithResponse(stage, null, Context.NONE);
        } catch (RuntimeException e) {
            throw AzureErrors.map(e, Op.STAGE, key, driver.containerName());
        }
    }

    @Override
    public boolean wantsContentMd5() {
        return true;
    }

    @Override
    public PutResponse commit(int parts, long size, byte[] contentMd5) {
        List<String> ids = new ArrayList<>(parts);
        for (int n = 1; n <= parts; n++) {
            ids.add(blockId(n));
        }
        BlobHttpHeaders headers = new BlobHttpHeaders().setContentMd5(contentMd5);
        options.contentType().ifPresent(headers::setContentType);
        BlockBlobCommitBlockListOptions commit = new BlockBlobCommitBlockListOptions(ids).setHeaders(headers)
                .setRequestConditions(conditions);
        if (!options.userMetadata().isEmpty()) {
            commit.setMetadata(new LinkedHashMap<>(options.userMetadata()));
        }
        BlockBlobItem item;
        try {
            item = blob.commitBlockListWithResponse(commit, null, Context.NONE).getValue();
        } catch (BlobStorageException e) {
            if (BlobErrorCode.INVALID_BLOCK_LIST.equals(AzureErrors.errorCode(e))) {
                throw new TransientException(ErrorCode.CONFLICT, key, "Azure answered " + e.getStatusCode()
                        + " InvalidBlockList: this upload's staged blocks were discarded by another commit (or a write"
                        + " or delete) of the blob; nothing was written; put again", e);
            }
            throw AzureErrors.map(e, op, key, driver.containerName());
        } catch (RuntimeException e) {
            throw AzureErrors.map(e, op, key, driver.containerName());
        }
        return PutResponse.of(AzureBlobDriver.version(item.getETag(), item.getVersionId()), size,
                AzureBlobDriver.instant(item.getLastModified()));
    }

    /** Nothing to do: Azure has no request that discards uncommitted blocks (see the class documentation). */
    @Override
    public void abort() {
    }

    private static byte[] md5(byte[] data, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(data, 0, length);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }
}
