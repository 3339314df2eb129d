package io.leasehold.tck.faults;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The log of every request that passed through a {@link FaultProxy}, one {@link WireRecord} each:
 * the ground truth of what reached the server, for {@link WriteAudit}.
 *
 * <p>The write id is read from the user metadata entry {@value #WRITE_ID_METADATA} (header
 * {@code x-amz-meta-leasehold_w} on S3, {@code x-ms-meta-leasehold_w} on Azure); give another name to
 * the constructor to follow a different one.
 *
 * <p>Thread-safety: safe for concurrent use; the proxy records from many connection threads.
 */
public final class WireRecorder {
    /** The user metadata name that carries the library's write id. */
    public static final String WRITE_ID_METADATA = "leasehold_w";

    private static final List<String> METADATA_PREFIXES = List.of("x-amz-meta-", "x-ms-meta-");
    private static final List<String> CONDITIONS = List.of("If-Match", "If-None-Match", "If-Modified-Since",
            "If-Unmodified-Since");

    private final String writeIdName;
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentSkipListMap<Long, WireRecord> records = new ConcurrentSkipListMap<>();

    /** A recorder that reads write ids from {@value #WRITE_ID_METADATA}. */
    public WireRecorder() {
        this(WRITE_ID_METADATA);
    }

    /**
     * A recorder that reads write ids from another metadata name.
     *
     * @param writeIdMetadataName the metadata name, without prefix, any case
     */
    public WireRecorder(String writeIdMetadataName) {
        this.writeIdName = Objects.requireNonNull(writeIdMetadataName, "writeIdMetadataName").toLowerCase(Locale.ROOT);
    }

    /** The next sequence number (arrival order). */
    long nextSequence() {
        return sequence.incrementAndGet();
    }

    /** A record builder pre-filled with what the client sent. */
    WireRecord.Builder start(long seq, WireRequest request, String bodySha256, long bodyLength) {
        WireRecord.Builder b = WireRecord.builder().sequence(seq)
                .request(request.method(), request.path(), request.query().orElse(null), request.isObjectWrite())
                .body(bodySha256, bodyLength);
        for (String name : CONDITIONS) {
            request.header(name).ifPresent(v -> b.condition(name, v));
        }
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            for (String prefix : METADATA_PREFIXES) {
                if (name.startsWith(prefix) && name.length() > prefix.length()) {
                    String meta = name.substring(prefix.length());
                    b.metadata(meta, h.getValue());
                    if (meta.equals(writeIdName)) {
                        b.writeId(h.getValue().trim());
                    }
                }
            }
        }
        return b;
    }

    /**
     * Adds a record, or replaces the one with the same sequence number. The proxy records an exchange
     * before the client can see its outcome, so a client that got an answer (or a close) always finds
     * its request recorded; if answering then fails, the record is replaced.
     *
     * @param record the record
     */
    void put(WireRecord record) {
        records.put(record.sequence(), record);
    }

    /**
     * Every record so far, in sequence order.
     *
     * @return a snapshot
     */
    public List<WireRecord> records() {
        return new ArrayList<>(records.values());
    }

    /**
     * The records that satisfy a filter, in sequence order.
     *
     * @param filter which records
     * @return a snapshot
     */
    public List<WireRecord> records(Predicate<WireRecord> filter) {
        List<WireRecord> all = records();
        all.removeIf(filter.negate());
        return all;
    }

    /**
     * How many requests were recorded.
     *
     * @return the count
     */
    public int size() {
        return records.size();
    }

    /** Forgets all records (sequence numbers keep counting). */
    public void clear() {
        records.clear();
    }

    /**
     * How many records had each fault kind (plain delays count as {@link Fault.Kind#NONE}).
     *
     * @param filter which records
     * @return counts per kind, kinds without records omitted
     */
    public Map<Fault.Kind, Integer> faultCounts(Predicate<WireRecord> filter) {
        Map<Fault.Kind, Integer> counts = new EnumMap<>(Fault.Kind.class);
        for (WireRecord r : records(filter)) {
            counts.merge(r.fault().kind(), 1, Integer::sum);
        }
        return counts;
    }
}
