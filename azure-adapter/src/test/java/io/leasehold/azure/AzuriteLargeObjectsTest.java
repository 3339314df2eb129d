package io.leasehold.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.tck.LargeObjectsContract;
import java.io.ByteArrayInputStream;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Large objects on Azurite: staged blocks committed with Put Block List under the put's
 * conditions, ranged downloads pinned with If-Match, Content-MD5 verification. Uncommitted blocks
 * are counted with Get Block List.
 */
@ExtendWith(AzuriteExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AzuriteLargeObjectsTest implements LargeObjectsContract {
    private ObjectStore store;

    @Override
    public synchronized ObjectStore objectStore() {
        if (store == null) {
            store = AzuriteExtension.uniqueStore("large");
        }
        return store;
    }

    @AfterAll
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    public OptionalInt stagedLeft(String key) {
        BlobContainerClient container = objectStore().unwrap(BlobContainerClient.class).orElseThrow();
        try {
            BlockList blocks = container.getBlobClient(key).getBlockBlobClient().listBlocks(BlockListType.UNCOMMITTED);
            return OptionalInt.of(blocks.getUncommittedBlocks().size());
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return OptionalInt.of(0);
            }
            throw e;
        }
    }

    /** Azure has no request that discards uncommitted blocks; a commit of the blob does. */
    @Override
    public boolean stagedPartsMayRemain() {
        return true;
    }

    /**
     * What remains of a losing upload: its staged blocks are invisible (the object is the winner's),
     * and the blob's next block commit discards them. (Azure documents that a single-shot Put Blob
     * discards them too; Azurite 3.37 keeps them, so that is only reported here.)
     */
    @Test
    void blocksOfALoserAreInvisibleAndGoneWithTheNextCommit() {
        ObjectStore store = objectStore();
        String key = uniqueKey("large-leftover");
        byte[] winner = Content.random(40, partSize() * 2 + 1);
        byte[] loser = Content.random(41, partSize() * 3 + 1);
        store.put(key, winner);
        assertThrows(ObjectAlreadyExistsException.class, () -> store.put(key, new ByteArrayInputStream(loser),
                loser.length, PutOptions.of(PutMode.create()), transfer()));
        assertEquals(4, stagedLeft(key).getAsInt(), "the loser's four blocks stay staged: Azure cannot discard them on request");
        assertArrayEquals(winner, store.get(key).content(), "and they are not part of the object");
        store.put(key, winner);
        System.out.println("[azurite] uncommitted blocks after a single-shot put of the blob: " + stagedLeft(key).getAsInt());
        store.put(key, new ByteArrayInputStream(winner), winner.length, PutOptions.defaults(), transfer());
        assertEquals(0, stagedLeft(key).getAsInt(), "a block commit of the blob discards them");
        assertArrayEquals(winner, store.get(key).content());
    }

    @Override
    public Optional<String> expectedChecksum(int parts) {
        return Optional.of("MD5");
    }
}
