package io.leasehold.bench;

import io.leasehold.core.ETag;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;

/** The operations through the Leasehold facade, over any driver. */
final class LeaseholdOps implements Ops {
    static final String KEY = "bench/doc.json";
    private final ObjectStore store;
    private final byte[] content;
    private final PutOptions ifMatch;
    private final GetOptions ifNoneMatch;

    LeaseholdOps(ObjectStore store, Fixture fixture) {
        this.store = store;
        this.content = fixture.content();
        this.ifMatch = PutOptions.of(PutMode.update(ObjectVersion.of(fixture.etag())));
        this.ifNoneMatch = GetOptions.builder().ifNoneMatch(ETag.parse(fixture.etag())).build();
    }

    @Override
    public Object put() {
        return store.put(KEY, content);
    }

    @Override
    public Object putIfMatch() {
        return store.put(KEY, content, ifMatch);
    }

    @Override
    public Object get() {
        return store.get(KEY);
    }

    @Override
    public Object getIfNoneMatch() {
        return store.get(KEY, ifNoneMatch);
    }

    @Override
    public Object update() {
        return store.update(KEY, Fixture::bump);
    }

    @Override
    public void close() {
        store.close();
    }
}
