package io.leasehold.samples;

import java.util.List;

/**
 * The test kit's worked example (see {@code PaymentLedgerTest}): what the user code under test offers.
 *
 * <p>Thread-safety: implementations here are safe for concurrent use (the store is).
 */
public interface Ledger {
    /**
     * Records a payment once.
     *
     * @param account the account
     * @param paymentId the payment's id; recording it twice is a bug
     * @param cents the amount
     */
    void record(String account, String paymentId, long cents);

    /**
     * The account's entries.
     *
     * @param account the account
     * @return one "id cents" line per payment
     */
    List<String> entries(String account);
}
