package io.leasehold.test.history;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A sequential specification of one object, against which {@link Checker} checks each key's
 * history: where the object starts, and which states may follow a call that got a response.
 *
 * <p>States must be immutable values with {@code equals} and {@code hashCode}: the checker
 * remembers (set of operations applied, state) pairs it has explored, and two equal states must
 * behave the same from then on.
 *
 * <h2>What {@link #step} is asked</h2>
 * <ul>
 *   <li>{@link Response.Kind#OK}: the states the object may be in right after the call took effect
 *       and answered this; empty if the answer is impossible in {@code state}.</li>
 *   <li>{@link Response.Kind#REFUSED}: {@code List.of(state)} if the store may refuse the call, with
 *       this reason, in {@code state}; empty otherwise. A refusal never changes the state.</li>
 *   <li>{@link Response.Kind#UNKNOWN}: the states after the call, supposing it took effect (the
 *       checker tries "it never happened" by itself); empty if it cannot have taken effect in
 *       {@code state} (e.g. a create when the object exists). The checker always passes the same
 *       note-less unknown response, so operations with equal calls are interchangeable.</li>
 *   <li>{@link Response.Kind#FAILED} is never passed: failed operations are ignored.</li>
 * </ul>
 *
 * <p>Implement this for your own objects (a set, a queue, a lease register) and pass it to
 * {@link Checker}; the checker needs nothing else from a model. The optional methods make checks
 * faster or reports clearer; each states what it must guarantee to stay sound.
 *
 * <p>Thread-safety: implementations must be safe for concurrent use (the checker checks keys in
 * parallel); stateless implementations are.
 *
 * @param <S> the state type
 */
public interface Model<S> {
    /**
     * The model's name, for reports.
     *
     * @return e.g. {@code "counter"}
     */
    String name();

    /**
     * The state of an object no one has called yet.
     *
     * @return never null
     */
    S initial();

    /**
     * The states consistent with {@code call} getting {@code response} in {@code state}.
     *
     * @param state the state before the call
     * @param call the call
     * @param response the response (never {@link Response.Kind#FAILED})
     * @return the possible next states, usually none or one; never null
     * @throws IllegalArgumentException if the call or response is not one this model knows (e.g. an
     *     unexpected refusal reason), so a recording mistake is not reported as an anomaly
     */
    List<S> step(S state, Call call, Response response);

    /**
     * Whether a call never changes the state (a read). The checker drops read-only operations with
     * unknown outcomes: they constrain nothing.
     *
     * @param call the call
     * @return true only if {@link #step} on an unknown response always returns the same state
     */
    default boolean readOnly(Call call) {
        return false;
    }

    /**
     * The id the call writes, if it carries one that no other call in the history carries and the
     * {@linkplain #initial() initial state} does not hold.
     *
     * <p>Used with {@link #observedWriteIds}: an unknown-outcome write whose id a successful
     * operation later observed certainly took effect, before that operation completed.
     *
     * @param call the call
     * @return the write id, or empty
     */
    default Optional<String> writeId(Call call) {
        return Optional.empty();
    }

    /**
     * The write ids a successful or refused operation proves had taken effect before it, e.g. the
     * write id a read returned. Soundness: every id returned must have been written (by the call
     * whose {@link #writeId} it is) before this operation's linearization point in every legal
     * linearization.
     *
     * @param call the call
     * @param response its response, never unknown or failed
     * @return the ids, often none; never null
     */
    default Collection<String> observedWriteIds(Call call, Response response) {
        return List.of();
    }

    /**
     * The write ids an operation refers to in any way the model compares: ids its response shows
     * and ids its call expects (e.g. a compare-and-swap's expected version), whatever its outcome.
     * With {@link #withoutWriteId}, lets the checker forget ids nothing refers to.
     *
     * @param call the call
     * @param response its response, of any kind
     * @return the ids; never null
     */
    default Collection<String> referencedWriteIds(Call call, Response response) {
        return observedWriteIds(call, response);
    }

    /**
     * The call with its write id replaced by a placeholder that all such calls share, used for
     * writes whose id no operation of the history refers to ({@link #referencedWriteIds}). States
     * that differ only in such ids then compare equal, and unknown writes of equal content become
     * interchangeable, which keeps histories with many unread unknown writes tractable.
     *
     * <p>Soundness: for every call and response that does not refer to either id, {@link #step} from
     * two states that differ only in an unreferenced id versus the placeholder must give next states
     * that again differ only so (the ids are never compared with anything that mentions them).
     *
     * @param call a call for which {@link #writeId} is present
     * @return the call without its identity, or the call itself (the default: no erasing)
     */
    default Call withoutWriteId(Call call) {
        return call;
    }

    /**
     * What a call needs of the state to take effect at all, e.g. the expected write id of a
     * compare-and-swap; compared with {@link #preconditionKey}. An optional speed-up: a history with
     * many unknown conditional writes no longer tries each of them in every state.
     *
     * <p>Soundness: if this returns a value {@code v} and {@code preconditionKey(s)} returns a value
     * other than {@code v}, then {@code step(s, call, unknown)} must be empty.
     *
     * @param call the call
     * @return the value the state's key must equal, or empty if the call may take effect in any state
     */
    default Optional<Object> precondition(Call call) {
        return Optional.empty();
    }

    /**
     * The value of a state that {@link #precondition} values are compared with.
     *
     * @param state the state
     * @return the key, or empty to try every call in this state
     */
    default Optional<Object> preconditionKey(S state) {
        return Optional.empty();
    }

    /**
     * A state standing for "any state at all", from which {@link #step} allows every first call and
     * learns what it can from the response. Used when shrinking an anomaly: a sub-history that is
     * not linearizable even from an arbitrary start state shows the fault without the operations
     * that led up to it. Soundness: every history linearizable from some state must be
     * linearizable from this one (step from it may allow too much, never too little).
     *
     * @return the state, or empty if the model has none (shrinking then keeps the start state)
     */
    default Optional<S> anyState() {
        return Optional.empty();
    }

    /**
     * A state as shown in reports.
     *
     * @param state the state
     * @return never null
     */
    default String describe(S state) {
        return String.valueOf(state);
    }
}
