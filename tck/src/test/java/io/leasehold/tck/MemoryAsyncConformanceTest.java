package io.leasehold.tck;

/** The whole TCK through the asynchronous API (ObjectStore#async()) on the memory driver. */
class MemoryAsyncConformanceTest extends MemoryStoreConformanceTest {
    @Override
    public boolean throughAsyncApi() {
        return true;
    }
}
