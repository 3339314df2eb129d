package io.leasehold.spring;

import io.leasehold.core.ObjectStore;
import io.leasehold.spi.StoreDriverProvider;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the starter knows about Leasehold's store schemes: the module that serves each, and the URI
 * parameters its driver takes, so options a store does not take are refused naming their property
 * before any driver is opened (a {@code file:} store would otherwise fail with a message about URI
 * queries). Schemes served by other providers on the class path pass through unchecked.
 *
 * <p>The parameter lists mirror the drivers' own URI parsing (S3Connection, Tigris, AzureConnection);
 * a driver still refuses anything it does not take, so a stale list here errs towards the driver's
 * message, never towards sending a wrong request.
 *
 * <p>Thread-safety: immutable.
 */
final class StoreSchemes {
    private static final List<String> S3 = List.of("endpoint", "region", "pathStyle", "profile", "versioned",
            "credentialsProfile");

    /** A scheme Leasehold ships: its artifact and the URI parameters its driver takes. */
    record Scheme(String name, String artifact, List<String> parameters) {
        /** The parameter a given option name means (kebab-case and any case accepted), if the driver takes it. */
        Optional<String> parameter(String option) {
            String wanted = normalized(option);
            return parameters.stream().filter(p -> normalized(p).equals(wanted)).findFirst();
        }
    }

    private static final Map<String, Scheme> KNOWN = Map.of(
            "mem", new Scheme("mem", "leasehold-core", List.of()),
            "memory", new Scheme("memory", "leasehold-core", List.of()),
            "file", new Scheme("file", "leasehold-core", List.of()),
            "s3", new Scheme("s3", "leasehold-aws", S3),
            "tigris", new Scheme("tigris", "leasehold-tigris", List.of("endpoint", "region", "pathStyle", "versioned",
                    "credentialsProfile", "consistentReads", "consistentWrites")),
            "azure", new Scheme("azure", "leasehold-azure", List.of("connectionString", "endpoint", "account",
                    "createContainer", "timeout")));

    private StoreSchemes() {
    }

    /** The scheme, if Leasehold ships it. */
    static Optional<Scheme> known(String scheme) {
        return Optional.ofNullable(KNOWN.get(scheme.toLowerCase(Locale.ROOT)));
    }

    /** The schemes Leasehold ships, sorted. */
    static Set<String> knownNames() {
        return new TreeSet<>(KNOWN.keySet());
    }

    /** The schemes some driver on the class path serves. */
    static Set<String> served() {
        Set<String> served = new TreeSet<>();
        for (StoreDriverProvider provider : ServiceLoader.load(StoreDriverProvider.class, ObjectStore.class.getClassLoader())) {
            served.addAll(provider.schemes());
        }
        return served;
    }

    /** An option name as compared: lower case, without '-', '_' and '.'. */
    static String normalized(String name) {
        return name.replaceAll("[-_.]", "").toLowerCase(Locale.ROOT);
    }
}
