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
    ABORT_MULTIPART_UPLOAD;

    /**
     * Whether the operation changes the store.
     *
     * @return true for everything but GetObject and HeadObject
     */
    public boolean isMutation() {
        return this != GET_OBJECT && this != HEAD_OBJECT;
    }
}
