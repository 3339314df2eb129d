package io.leasehold.testing;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.Capabilities;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.ListResponse;
import io.leasehold.spi.StoreDriver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every call that reaches the SPI, delegating to a {@link MemoryDriver}; capabilities can be narrowed. */
public final class RecordingDriver implements StoreDriver {
    private final MemoryDriver target = MemoryDriver.create();
    private final Capabilities capabilities;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    public RecordingDriver() {
        this(MemoryDriver.create().capabilities());
    }

    public RecordingDriver(Capabilities capabilities) {
        this.capabilities = capabilities;
    }

    public List<String> calls() {
        return calls;
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public PutResponse put(String key, byte[] content, PutOptions options) {
        calls.add("put " + key);
        return target.put(key, content, options);
    }

    @Override
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        calls.add((withContent ? "get " : "head ") + key);
        return target.get(key, options, withContent);
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        calls.add("delete " + key);
        target.delete(key, options);
    }

    @Override
    public ListResponse list(String prefix, ListOptions options) {
        calls.add("list " + prefix);
        return target.list(prefix, options);
    }

    @Override
    public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long sourceSize, String targetKey,
                            PutOptions targetOptions) {
        calls.add("copy " + sourceKey + " " + targetKey);
        return target.copy(sourceKey, sourceVersion, sourceSize, targetKey, targetOptions);
    }
}
