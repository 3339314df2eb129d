package io.leasehold.test.example;

import java.util.List;

/** What the worked example's user code offers: record a payment once, list the entries. */
interface Ledger {
    void record(String account, String paymentId, long cents);

    List<String> entries(String account);
}
