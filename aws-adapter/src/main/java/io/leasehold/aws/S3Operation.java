package io.leasehold.aws;

/**
 * The S3 requests {@link S3Driver} sends, named for {@link S3RequestCustomizer}.
 *
 * <p>Thread-safety: enum constants are immutable.
 */
public enum S3Operation {
    /** PutObject (every put). */
    PUT_OBJECT,
    /** GetObject (get). */
    GET_OBJECT,
    /** HeadObject (head, and the existence checks of delete and ambiguity resolution). */
    HEAD_OBJECT,
    /** DeleteObject (delete). */
    DELETE_OBJECT,
    /** CreateMultipartUpload (the start of a streaming put larger than one part). */
    CREATE_MULTIPART_UPLOAD,
    /** UploadPart (one part of a streaming put). */
    UPLOAD_PART,
    /** CompleteMultipartUpload (the commit of a streaming put; carries the put's condition). */
    COMPLETE_MULTIPART_UPLOAD,
    /** AbortMultipartUpload (discards the parts of a streaming put that failed or lost its race). */
    ABORT_MULTIPART_UPLOAD,
    /** CopyObject (a server-side copy; carries the target's condition and If-Match on the source). */
    COPY_OBJECT,
    /** ListObjectsV2 (one page of a listing). */
    LIST_OBJECTS;

    /**
     * Whether the operation changes the store.
     *
     * @return true for everything but GetObject, HeadObject and ListObjectsV2
     */
    public boolean isMutation() {
        return this != GET_OBJECT && this != HEAD_OBJECT && this != LIST_OBJECTS;
    }
}
