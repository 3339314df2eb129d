package io.leasehold.tck.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one workload call did and how it ended: its id (also its metadata tag), its change, the write
 * ids the library reported for it and the bodies it sent.
 *
 * <p>Thread-safety: written by the calling thread, read after the workers joined; the write-id set
 * is concurrent because a listener may report from another thread.
 */
final class CallLog {
    final String id;
    final int thread;
    final int index;
    /** The change: +1/−1 for counters, +token/−token for sets, empty for plain puts. */
    final String change;
    final Set<String> writeIds = ConcurrentHashMap.newKeySet();
    final List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
    volatile CallOutcome outcome;
    volatile int attempts;

    CallLog(String id, int thread, int index, String change) {
        this.id = id;
        this.thread = thread;
        this.index = index;
        this.change = change;
    }
}
