package io.leasehold.tck;

/** The whole TCK through the asynchronous API (ObjectStore#async()) on the file driver. */
class FileAsyncConformanceTest extends FileStoreConformanceTest {
    @Override
    public boolean throughAsyncApi() {
        return true;
    }
}
