package io.leasehold.samples;

import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The test kit's worked example, user code under test (the naive version): the same conditional append, but any failure counts as
 * "not written", so a write whose response was lost is applied a second time.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class NaivePaymentLedger implements Ledger {
    private final ObjectStore store;

    /**
     * Creates the ledger.
     *
     * @param store where ledgers live
     */
    public NaivePaymentLedger(ObjectStore store) {
        this.store = store;
    }

    @Override
    public void record(String account, String paymentId, long cents) {
        String key = "ledgers/" + account;
        for (int attempt = 1; attempt <= 10; attempt++) {
            GetResult current = readOrNull(key);
            List<String> entries = entries(current);
            entries.add(paymentId + " " + cents);
            PutMode mode = current == null ? PutMode.create() : PutMode.update(current.info().version());
            try {
                store.put(key, String.join("\n", entries).getBytes(StandardCharsets.UTF_8), PutOptions.of(mode));
                return;
            } catch (ObjectStoreException failed) {
                // "it failed, try again" -- also when the write may have landed
            }
        }
        throw new IllegalStateException("could not record " + paymentId + " after 10 attempts");
    }

    @Override
    public List<String> entries(String account) {
        return entries(readOrNull("ledgers/" + account));
    }

    private GetResult readOrNull(String key) {
        try {
            return store.get(key);
        } catch (ObjectNotFoundException absent) {
            return null;
        }
    }

    private static List<String> entries(GetResult current) {
        List<String> entries = new ArrayList<>();
        if (current != null && current.content().length > 0) {
            entries.addAll(List.of(new String(current.content(), StandardCharsets.UTF_8).split("\n")));
        }
        return entries;
    }
}
