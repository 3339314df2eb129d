package io.leasehold.test.history;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Calls and responses of the versioned-register model ({@link Models#register(boolean)}): one
 * object in a store, absent or holding some content written by one uniquely identified write.
 *
 * <h2>Calls and their answers</h2>
 * <ul>
 *   <li>{@link #get()}: {@link #found(String, String)}, or refused {@link Response#NOT_FOUND}.</li>
 *   <li>{@link #put(String, String)} (overwrite): ok.</li>
 *   <li>{@link #putCreate(String, String)}: ok if absent, else refused
 *       {@link Response#ALREADY_EXISTS} (or {@link Response#PRECONDITION_FAILED}).</li>
 *   <li>{@link #putIfMatch(Version, String, String)}: ok if the current version matches, else
 *       refused {@link Response#PRECONDITION_FAILED} (or {@link Response#NOT_FOUND} if absent).</li>
 *   <li>{@link #delete()}: ok if present, else refused {@link Response#NOT_FOUND}.</li>
 *   <li>{@link #deleteIfMatch(Version)}: as put-if-match, and the object is gone.</li>
 * </ul>
 * Every write carries a write id that no other write in the history carries, known to the caller
 * even when the outcome is unknown (Leasehold tags each write with one); reads report the id of the
 * write they saw.
 *
 * <h2>What "matches" means</h2>
 * With unique ETags (Azure, memory, file stores) a version matches only if it is the very same
 * write. With content-hash ETags (S3, Ceph RGW) a version matches whenever its content equals the
 * expected version's content: after A, B, A again, a compare-and-swap based on the first A succeeds.
 *
 * <p>Thread-safety: stateless; {@link Version} is immutable.
 */
public final class Register {
    static final String GET = "get";
    static final String PUT = "put";
    static final String PUT_CREATE = "put-create";
    static final String PUT_IF_MATCH = "put-if-match";
    static final String DELETE = "delete";
    static final String DELETE_IF_MATCH = "delete-if-match";
    private static final Call GET_CALL = Call.of(GET);
    private static final Call DELETE_CALL = Call.of(DELETE);

    private Register() {
    }

    /**
     * A version of the object, as a caller holds it for a conditional call: the content it read or
     * wrote, and the id of the write that produced it.
     *
     * <p>Thread-safety: immutable.
     */
    public static final class Version {
        private final String content;
        private final String writeId;

        private Version(String content, String writeId) {
            this.content = Objects.requireNonNull(content, "content");
            this.writeId = Objects.requireNonNull(writeId, "writeId");
        }

        /**
         * The content of this version.
         *
         * @return never null
         */
        public String content() {
            return content;
        }

        /**
         * The id of the write that produced this version.
         *
         * @return never null
         */
        public String writeId() {
            return writeId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Version && content.equals(((Version) o).content) && writeId.equals(((Version) o).writeId);
        }

        @Override
        public int hashCode() {
            return content.hashCode() * 31 + writeId.hashCode();
        }

        /**
         * The version as shown in reports.
         *
         * @return e.g. {@code A@w3}
         */
        @Override
        public String toString() {
            return content + "@" + writeId;
        }
    }

    /**
     * A version value.
     *
     * @param content the content
     * @param writeId the id of the write that produced it
     * @return the version
     */
    public static Version version(String content, String writeId) {
        return new Version(content, writeId);
    }

    /**
     * Reads the object.
     *
     * @return the call
     */
    public static Call get() {
        return GET_CALL;
    }

    /**
     * The answer of a read that found the object.
     *
     * @param content the content read
     * @param writeId the id of the write that produced it
     * @return the response
     */
    public static Response found(String content, String writeId) {
        return Response.ok().with("content", content).with("writeId", writeId);
    }

    /**
     * Writes unconditionally (overwrite).
     *
     * @param content the content
     * @param writeId this write's unique id
     * @return the call
     */
    public static Call put(String content, String writeId) {
        return Call.of(PUT).with("content", content).with("writeId", writeId);
    }

    /**
     * Writes only if no object exists.
     *
     * @param content the content
     * @param writeId this write's unique id
     * @return the call
     */
    public static Call putCreate(String content, String writeId) {
        return Call.of(PUT_CREATE).with("content", content).with("writeId", writeId);
    }

    /**
     * Writes only if the current version matches {@code expected}.
     *
     * @param expected the version the caller based its write on
     * @param content the content
     * @param writeId this write's unique id
     * @return the call
     */
    public static Call putIfMatch(Version expected, String content, String writeId) {
        return Call.of(PUT_IF_MATCH).with("expectedContent", expected.content()).with("expectedWriteId", expected.writeId())
                .with("content", content).with("writeId", writeId);
    }

    /**
     * Deletes unconditionally.
     *
     * @return the call
     */
    public static Call delete() {
        return DELETE_CALL;
    }

    /**
     * Deletes only if the current version matches {@code expected}.
     *
     * @param expected the version the caller based its delete on
     * @return the call
     */
    public static Call deleteIfMatch(Version expected) {
        return Call.of(DELETE_IF_MATCH).with("expectedContent", expected.content()).with("expectedWriteId", expected.writeId());
    }

    /** A register state: absent, present with a known version, or unknown while shrinking. */
    record State(Kind kind, String content, String writeId) {
        enum Kind { ABSENT, PRESENT, ANY, ANY_PRESENT }

        static final State ABSENT = new State(Kind.ABSENT, null, null);
        static final State ANY = new State(Kind.ANY, null, null);
        static final State ANY_PRESENT = new State(Kind.ANY_PRESENT, null, null);

        static State present(String content, String writeId) {
            return new State(Kind.PRESENT, content, writeId);
        }

        @Override
        public String toString() {
            switch (kind) {
                case ABSENT:
                    return "absent";
                case PRESENT:
                    return content + "@" + writeId;
                case ANY:
                    return "any";
                default:
                    return "any present";
            }
        }
    }

    private enum Match { YES, NO, MAYBE }

    /** A call parsed once: the model runs millions of steps on few calls. */
    private static final class Parsed {
        final String name;
        final State written;
        final String expectedContent;
        final String expectedWriteId;

        Parsed(Call call) {
            this.name = call.name();
            String content = call.raw("content");
            String writeId = call.raw("writeId");
            boolean writes = name.equals(PUT) || name.equals(PUT_CREATE) || name.equals(PUT_IF_MATCH);
            if (writes) {
                require(content, name + " needs content");
                require(writeId, name + " needs writeId");
            }
            this.written = writes ? State.present(content, writeId) : null;
            boolean conditional = name.equals(PUT_IF_MATCH) || name.equals(DELETE_IF_MATCH);
            this.expectedContent = conditional ? require(call.raw("expectedContent"), name + " needs expectedContent") : null;
            this.expectedWriteId = conditional ? require(call.raw("expectedWriteId"), name + " needs expectedWriteId") : null;
        }

        static Parsed of(Call call) {
            Object p = call.parsed;
            if (p instanceof Parsed) {
                return (Parsed) p;
            }
            Parsed parsed = new Parsed(call);
            call.parsed = parsed;
            return parsed;
        }
    }

    /** The write id standing for every write no operation refers to (see Model#withoutWriteId). */
    static final String UNREAD = "\u0000unread";

    /** The state key of an absent object, for {@link Model#precondition}: unlike any content or write id. */
    private static final Object ABSENT_KEY = new Object() {
        @Override
        public String toString() {
            return "absent";
        }
    };

    /** The register model; immutable. */
    static final class RegisterModel implements Model<State> {
        private final boolean uniqueEtags;

        RegisterModel(boolean uniqueEtags) {
            this.uniqueEtags = uniqueEtags;
        }

        @Override
        public String name() {
            return uniqueEtags ? "register (unique ETags)" : "register (content-hash ETags)";
        }

        @Override
        public State initial() {
            return State.ABSENT;
        }

        @Override
        public List<State> step(State s, Call call, Response r) {
            Parsed c = Parsed.of(call);
            boolean refused = r.kind() == Response.Kind.REFUSED;
            switch (c.name) {
                case GET:
                    return get(s, r);
                case PUT:
                    if (refused) {
                        throw new IllegalArgumentException("an unconditional put is never refused in this model (" + r + ")");
                    }
                    return List.of(c.written);
                case PUT_CREATE:
                    if (refused) {
                        reasons(c, r, Response.ALREADY_EXISTS, Response.PRECONDITION_FAILED);
                        return s.kind == State.Kind.ANY ? List.of(State.ANY_PRESENT) : presentish(s) ? List.of(s) : List.of();
                    }
                    return s.kind == State.Kind.ABSENT || s.kind == State.Kind.ANY ? List.of(c.written) : List.of();
                case PUT_IF_MATCH:
                    return conditional(s, c, r, c.written);
                case DELETE:
                    if (refused) {
                        reasons(c, r, Response.NOT_FOUND);
                        return absentish(s) ? List.of(State.ABSENT) : List.of();
                    }
                    return presentish(s) ? List.of(State.ABSENT) : List.of();
                case DELETE_IF_MATCH:
                    return conditional(s, c, r, State.ABSENT);
                default:
                    throw new IllegalArgumentException("the register model has no call '" + call.name() + "'");
            }
        }

        private static List<State> get(State s, Response r) {
            if (r.kind() == Response.Kind.REFUSED) {
                if (!r.reason().equals(Response.NOT_FOUND)) {
                    throw new IllegalArgumentException("get refused with '" + r.reason() + "'; the register model knows "
                            + Response.NOT_FOUND);
                }
                return absentish(s) ? List.of(State.ABSENT) : List.of();
            }
            State found = found(r);
            if (s.kind == State.Kind.PRESENT) {
                return s.equals(found) ? List.of(s) : List.of();
            }
            return s.kind == State.Kind.ABSENT ? List.of() : List.of(found);
        }

        private static State found(Response r) {
            Object p = r.parsed;
            if (p instanceof State) {
                return (State) p;
            }
            State found = State.present(require(r.raw("content"), "a read answers content=… writeId=…"),
                    require(r.raw("writeId"), "a read answers content=… writeId=…"));
            r.parsed = found;
            return found;
        }

        /** Put-if-match and delete-if-match: {@code after} is the state once the call took effect. */
        private List<State> conditional(State s, Parsed c, Response r, State after) {
            Match match = match(s, c);
            if (r.kind() != Response.Kind.REFUSED) {
                return match == Match.NO ? List.of() : List.of(after);
            }
            reasons(c, r, Response.PRECONDITION_FAILED, Response.NOT_FOUND);
            if (r.reason().equals(Response.NOT_FOUND)) {
                return absentish(s) ? List.of(State.ABSENT) : List.of();
            }
            return match == Match.YES ? List.of() : List.of(s);
        }

        private Match match(State s, Parsed c) {
            switch (s.kind) {
                case ABSENT:
                    return Match.NO;
                case PRESENT:
                    boolean same = uniqueEtags ? s.writeId.equals(c.expectedWriteId) : s.content.equals(c.expectedContent);
                    return same ? Match.YES : Match.NO;
                default:
                    return Match.MAYBE;
            }
        }

        private static boolean presentish(State s) {
            return s.kind != State.Kind.ABSENT;
        }

        private static boolean absentish(State s) {
            return s.kind == State.Kind.ABSENT || s.kind == State.Kind.ANY;
        }

        private static void reasons(Parsed c, Response r, String... allowed) {
            for (String reason : allowed) {
                if (reason.equals(r.reason())) {
                    return;
                }
            }
            throw new IllegalArgumentException(c.name + " refused with '" + r.reason() + "'; the register model knows "
                    + String.join(", ", allowed));
        }

        @Override
        public boolean readOnly(Call call) {
            return call.name().equals(GET);
        }

        @Override
        public Optional<String> writeId(Call call) {
            switch (call.name()) {
                case PUT:
                case PUT_CREATE:
                case PUT_IF_MATCH:
                    return Optional.ofNullable(call.raw("writeId"));
                default:
                    return Optional.empty();
            }
        }

        @Override
        public Collection<String> observedWriteIds(Call call, Response response) {
            if (response.kind() != Response.Kind.OK) {
                return List.of();
            }
            switch (call.name()) {
                case GET:
                    String id = response.raw("writeId");
                    return id == null ? List.of() : List.of(id);
                case PUT_IF_MATCH:
                case DELETE_IF_MATCH:
                    // Only a unique ETag proves which write was current; a content hash matches any
                    // write of the same bytes.
                    String expected = call.raw("expectedWriteId");
                    return uniqueEtags && expected != null ? List.of(expected) : List.of();
                default:
                    return List.of();
            }
        }

        @Override
        public Collection<String> referencedWriteIds(Call call, Response response) {
            String expected = call.raw("expectedWriteId");
            String read = call.name().equals(GET) && response.kind() == Response.Kind.OK ? response.raw("writeId") : null;
            if (expected == null) {
                return read == null ? List.of() : List.of(read);
            }
            return read == null ? List.of(expected) : List.of(expected, read);
        }

        /**
         * Unread write ids are only ever compared with ids that other operations mention, which are
         * all different from them, so one placeholder serves for all.
         */
        @Override
        public Call withoutWriteId(Call call) {
            return call.raw("writeId") == null ? call : call.with("writeId", UNREAD);
        }

        /** A compare-and-swap needs the expected write (or content) current; a create needs absence. */
        @Override
        public Optional<Object> precondition(Call call) {
            switch (call.name()) {
                case PUT_IF_MATCH:
                case DELETE_IF_MATCH:
                    return Optional.ofNullable(call.raw(uniqueEtags ? "expectedWriteId" : "expectedContent"));
                case PUT_CREATE:
                    return Optional.of(ABSENT_KEY);
                default:
                    return Optional.empty();
            }
        }

        @Override
        public Optional<Object> preconditionKey(State s) {
            switch (s.kind) {
                case ABSENT:
                    return Optional.of(ABSENT_KEY);
                case PRESENT:
                    return Optional.of(uniqueEtags ? s.writeId : s.content);
                default:
                    return Optional.empty();
            }
        }

        @Override
        public Optional<State> anyState() {
            return Optional.of(State.ANY);
        }
    }

    private static String require(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what);
        }
        return value;
    }
}
