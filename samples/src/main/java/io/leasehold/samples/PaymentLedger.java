package io.leasehold.samples;

import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The test kit's worked example, user code under test (the careful version): appends a payment to an account's ledger object with
 * a conditional write, and re-reads after a lost race. After an {@link OutcomeUnknownException} it
 * also re-reads, and the payment id tells whether the write it could not confirm is already there.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class PaymentLedger implements Ledger {
    private final ObjectStore store;

    /**
     * Creates the ledger.
     *
     * @param store where ledgers live
     */
    public PaymentLedger(ObjectStore store) {
        this.store = store;
    }

    @Override
    public void record(String account, String paymentId, long cents) {
        String key = "ledgers/" + account;
        for (int attempt = 1; attempt <= 10; attempt++) {
            GetResult current = readOrNull(key);
            List<String> entries = entries(current);
            if (entries.stream().anyMatch(e -> e.startsWith(paymentId + " "))) {
                return; // already recorded, e.g. by a write whose response was lost
            }
            entries.add(paymentId + " " + cents);
            PutMode mode = current == null ? PutMode.create() : PutMode.update(current.info().version());
            try {
                store.put(key, String.join("\n", entries).getBytes(StandardCharsets.UTF_8), PutOptions.of(mode));
                return;
            } catch (PreconditionFailedException | ObjectAlreadyExistsException lostRace) {
                // someone else wrote first: re-read and apply again
            } catch (OutcomeUnknownException unknown) {
                // it may have landed: re-read; the payment id tells
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
