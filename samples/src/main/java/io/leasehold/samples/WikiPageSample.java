package io.leasehold.samples;

import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Sample: two editors change the same wiki page; the stale save is refused instead of silently
 * overwriting the other editor's work.
 *
 * <ol>
 *   <li>Alice and Bob open the page (both read the same version).</li>
 *   <li>Alice saves, conditional on the version she read: it succeeds.</li>
 *   <li>Bob saves, conditional on the version <em>he</em> read: the store refuses with
 *       {@link PreconditionFailedException}, because the page changed since.</li>
 *   <li>Bob re-reads the page, applies his edit to the current text, and saves again.</li>
 * </ol>
 *
 * <p>Thread-safety: stateless.
 */
public final class WikiPageSample {
    private static final String PAGE = "wiki/Home";

    private WikiPageSample() {
    }

    /**
     * What happened to the page.
     *
     * @param bobsStaleSaveRefused whether Bob's save with the stale version was refused
     * @param finalText the page afterwards
     * @param bobsSave the write that saved Bob's merged edit
     */
    public record Outcome(boolean bobsStaleSaveRefused, String finalText, PutResult bobsSave) {
    }

    /**
     * Runs the scenario on {@code mem://wiki} and prints the final page.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ObjectStore store = ObjectStore.open("mem://wiki")) {
            Outcome outcome = run(store);
            System.out.println("Bob's stale save refused: " + outcome.bobsStaleSaveRefused());
            System.out.print(outcome.finalText());
        }
    }

    /**
     * Plays the scenario on a store.
     *
     * @param store any store with conditional writes
     * @return what happened
     */
    public static Outcome run(ObjectStore store) {
        store.put(PAGE, bytes("# Home\n"));
        UnaryOperator<String> aliceEdit = page -> page + "Opening hours: 9-17\n";
        UnaryOperator<String> bobEdit = page -> page + "Contact: help@example.org\n";

        // Both editors open the page: same text, same version.
        GetResult alicesCopy = store.get(PAGE);
        GetResult bobsCopy = store.get(PAGE);

        // Alice saves first; the write is conditional on the version she read, and nobody changed it.
        store.put(PAGE, bytes(aliceEdit.apply(text(alicesCopy))),
                PutOptions.of(PutMode.update(alicesCopy.info().version())));

        // Bob saves on his now stale copy: refused, so Alice's edit is not overwritten.
        boolean refused = false;
        try {
            store.put(PAGE, bytes(bobEdit.apply(text(bobsCopy))),
                    PutOptions.of(PutMode.update(bobsCopy.info().version())));
        } catch (PreconditionFailedException staleVersion) {
            refused = true;
        }

        // Bob re-fetches, merges (re-applies his edit to the current text) and saves against the new version.
        GetResult current = store.get(PAGE);
        PutResult saved = store.put(PAGE, bytes(bobEdit.apply(text(current))),
                PutOptions.of(PutMode.update(current.info().version())));

        return new Outcome(refused, text(store.get(PAGE)), saved);
    }

    private static String text(GetResult result) {
        return new String(result.content(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
