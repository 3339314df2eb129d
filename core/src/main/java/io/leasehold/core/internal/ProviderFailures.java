package io.leasehold.core.internal;

import io.leasehold.core.ObjectStoreException;
import io.leasehold.spi.FailureClassifier;
import io.leasehold.spi.RequestKind;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@link FailureClassifier}s on the class path, loaded once on first use (only when a throwable
 * without an {@link ObjectStoreException} in its chain is classified).
 *
 * <p>Thread-safety: immutable after class initialisation.
 */
public final class ProviderFailures {
    private static final List<FailureClassifier> CLASSIFIERS = load();

    private ProviderFailures() {
    }

    private static List<FailureClassifier> load() {
        List<FailureClassifier> found = new ArrayList<>();
        for (FailureClassifier c : ServiceLoader.load(FailureClassifier.class, ProviderFailures.class.getClassLoader())) {
            found.add(c);
        }
        return List.copyOf(found);
    }

    /**
     * The first registered translation of a provider failure, as if the request were a write.
     *
     * @param t the failure
     * @return the translation, or null
     */
    public static ObjectStoreException classify(Throwable t) {
        for (FailureClassifier c : CLASSIFIERS) {
            ObjectStoreException e = c.classify(t, RequestKind.WRITE);
            if (e != null) {
                return e;
            }
        }
        return null;
    }
}
