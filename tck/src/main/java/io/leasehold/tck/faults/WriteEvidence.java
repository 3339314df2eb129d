package io.leasehold.tck.faults;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link WriteAudit} recognises one call's writes on the wire: by the write ids the library
 * reported for the call, by the hashes of bodies only that call sent, or by a user metadata tag only
 * that call carried. Combine with {@link #or}.
 *
 * <p>Thread-safety: immutable (the collections given are copied).
 */
public final class WriteEvidence {
    /** The record field an evidence atom looks at. */
    static final String WRITE_ID = "writeId";
    static final String BODY = "body";
    static final String META = "meta:";

    /** One field and the values that identify the call. */
    record Atom(String field, Set<String> values) {
    }

    private final List<Atom> atoms;

    private WriteEvidence(List<Atom> atoms) {
        this.atoms = List.copyOf(atoms);
    }

    /**
     * Writes carrying one of these write ids ({@link WireRecord#writeId()}).
     *
     * @param ids the ids the library reported for the call
     * @return the evidence
     */
    public static WriteEvidence writeIds(Collection<String> ids) {
        return new WriteEvidence(List.of(new Atom(WRITE_ID, Set.copyOf(ids))));
    }

    /**
     * Writes whose body has one of these SHA-256 hashes (for bodies unique to the call).
     *
     * @param sha256Hex lower- or upper-case hex hashes
     * @return the evidence
     */
    public static WriteEvidence bodySha256(Collection<String> sha256Hex) {
        List<String> lower = new ArrayList<>();
        for (String h : sha256Hex) {
            lower.add(h.toLowerCase(Locale.ROOT));
        }
        return new WriteEvidence(List.of(new Atom(BODY, Set.copyOf(lower))));
    }

    /**
     * Writes of exactly these bodies (for bodies unique to the call).
     *
     * @param bodies the bodies the call sent
     * @return the evidence
     */
    public static WriteEvidence bodies(Collection<byte[]> bodies) {
        List<String> hashes = new ArrayList<>();
        for (byte[] b : bodies) {
            hashes.add(sha256Hex(b));
        }
        return bodySha256(hashes);
    }

    /**
     * Writes carrying this user metadata entry (a tag only the call sent).
     *
     * @param name the metadata name (any case)
     * @param value the value
     * @return the evidence
     */
    public static WriteEvidence metadata(String name, String value) {
        Objects.requireNonNull(value, "value");
        return new WriteEvidence(List.of(new Atom(META + name.toLowerCase(Locale.ROOT), Set.of(value))));
    }

    /**
     * Lower-case hex SHA-256 of some bytes, as {@link WireRecord#bodySha256()} has it.
     *
     * @param bytes the bytes
     * @return 64 hex digits
     */
    public static String sha256Hex(byte[] bytes) {
        return HttpIo.sha256Hex(bytes);
    }

    /**
     * Either this or other evidence.
     *
     * @param other more evidence
     * @return the union
     */
    public WriteEvidence or(WriteEvidence other) {
        List<Atom> all = new ArrayList<>(atoms);
        all.addAll(other.atoms);
        return new WriteEvidence(all);
    }

    /**
     * Whether a record is one of the call's writes.
     *
     * @param record the record
     * @return true if the evidence matches
     */
    public boolean matches(WireRecord record) {
        for (Atom a : atoms) {
            String v = valueOf(record, a.field());
            if (v != null && a.values().contains(v)) {
                return true;
            }
        }
        return false;
    }

    List<Atom> atoms() {
        return atoms;
    }

    /** The value of a field in a record, or null. */
    static String valueOf(WireRecord record, String field) {
        if (field.equals(WRITE_ID)) {
            return record.writeId();
        }
        if (field.equals(BODY)) {
            return record.bodySha256();
        }
        return record.userMetadata().get(field.substring(META.length()));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Atom a : atoms) {
            if (b.length() > 0) {
                b.append(" or ");
            }
            b.append(a.field()).append(a.values().size() == 1 ? a.values() : "[" + a.values().size() + " values]");
        }
        return b.toString();
    }
}
