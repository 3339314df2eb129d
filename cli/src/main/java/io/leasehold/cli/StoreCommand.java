package io.leasehold.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Base of every subcommand that works on a store: the {@code --store URI} option, opening the
 * store, the streams, and JSON output. Failures are simply thrown: {@link ExitCodes} turns them
 * into the error line and exit code.
 *
 * <p>Thread-safety: one instance serves one invocation.
 */
public abstract class StoreCommand implements Callable<Integer> {
    /** The environment variable that overrides the default store URI. */
    public static final String STORE_ENV = "LEASEHOLD_STORE";

    @Spec
    private CommandSpec spec;

    // One short line per element, indented like picocli's wrapped lines: picocli may break a long
    // line inside a URI (after "tigris:"), so these never wrap.
    @Option(names = "--store", paramLabel = "URI", description = {
        "Store: mem://NAME, file:///PATH, s3://BUCKET,",
        "  tigris://BUCKET or azure://CONTAINER.",
        "  Default: $" + STORE_ENV + ", else the file store",
        "  ./.leasehold (demo: mem://demo)."})
    private String store;

    /** For subclasses. */
    protected StoreCommand() {
    }

    /**
     * The store used when neither {@code --store} nor {@value #STORE_ENV} is given: a file store
     * under {@code ./.leasehold} of the current directory. Override to change it (the demo uses
     * {@code mem://demo}).
     *
     * @return a store URI
     */
    protected String defaultStoreUri() {
        return defaultFileStoreUri();
    }

    /**
     * The default file store URI: {@code file://} and the absolute path of {@code ./.leasehold}.
     *
     * @return the URI
     */
    public static String defaultFileStoreUri() {
        return Path.of(".leasehold").toAbsolutePath().normalize().toUri().toString();
    }

    /**
     * The store URI this invocation uses: {@code --store}, else {@value #STORE_ENV}, else the default.
     *
     * @return the URI
     */
    protected String storeUri() {
        if (store != null) {
            return store;
        }
        String env = System.getenv(STORE_ENV);
        return env == null || env.isBlank() ? defaultStoreUri() : env;
    }

    /**
     * Opens the store; the caller closes it.
     *
     * @return the store
     * @throws io.leasehold.core.InvalidArgumentException if the URI is malformed or no driver serves it
     */
    protected ObjectStore openStore() {
        return ObjectStore.open(storeUri());
    }

    /**
     * The store URI without user info or query, safe to print (queries may carry credentials).
     *
     * @return the printable URI
     */
    protected String printableStoreUri() {
        String uri = storeUri();
        try {
            URI u = new URI(uri);
            if (u.isOpaque()) {
                return u.getScheme() + ":…";
            }
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return "(malformed URI)";
        }
    }

    /**
     * What to do about a failure of this command, printed after its error message; override to add
     * hints for a command's own options (and call this for the common ones).
     *
     * @param failure the failure
     * @return the hint, e.g. {@code add --create to create it}, or null for none
     */
    protected String hint(ObjectStoreException failure) {
        if (ExitCodes.isStoreNotFound(failure)) {
            return "check --store (or $" + STORE_ENV + ")";
        }
        if (failure instanceof io.leasehold.core.OutcomeUnknownException
                && ((io.leasehold.core.OutcomeUnknownException) failure).leaseId().isPresent()) {
            // Lease ids are printed in full by this CLI (later invocations need them): name it, so the
            // caller can acquire again idempotently or release what may be held.
            String id = ((io.leasehold.core.OutcomeUnknownException) failure).leaseId().get();
            return "the lease may be held under id " + id + ": run lease acquire again with --id " + id
                    + " (idempotent) or lease release with --id " + id;
        }
        return null;
    }

    /**
     * The picocli model of this command.
     *
     * @return the spec
     */
    protected CommandSpec spec() {
        return spec;
    }

    /**
     * Standard input.
     *
     * @return the stream
     */
    protected InputStream stdin() {
        return root().stdin();
    }

    /**
     * Standard output as bytes (object bodies).
     *
     * @return the stream
     */
    protected PrintStream stdout() {
        return root().stdout();
    }

    /**
     * Standard output as text (UTF-8, auto-flushing).
     *
     * @return the writer
     */
    protected PrintWriter out() {
        return root().out();
    }

    /**
     * Standard error as text (UTF-8, auto-flushing).
     *
     * @return the writer
     */
    protected PrintWriter err() {
        return root().err();
    }

    /**
     * Prints one JSON object as one line on stdout.
     *
     * @param node the object
     */
    protected void printJson(ObjectNode node) {
        out().println(Json.line(node));
        out().flush();
    }

    /**
     * A progress line on stderr for a transfer, if wanted: {@code --progress} / {@code --no-progress}
     * when given, else when stderr is a terminal.
     *
     * @param forced the option's value, or null when not given
     * @param label what is moving, e.g. {@code put notes/a.bin}
     * @return the listener, or null for none
     */
    Progress progress(Boolean forced, String label) {
        boolean wanted = forced != null ? forced : root().stderrTerminal();
        return wanted ? new Progress(err(), label) : null;
    }

    private LeaseholdCli root() {
        return (LeaseholdCli) spec.root().userObject();
    }
}
