package io.leasehold.spring;

import io.leasehold.core.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.InjectionPoint;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Spring Boot's startup failure report for Leasehold configuration: which property is missing or
 * wrong, where it was set, and the fix, instead of a stack trace or Spring's generic "required a bean
 * of type ObjectStore". Covers every {@link InvalidConfigurationException} (malformed URI, unknown
 * scheme, adapter not on the class path, options the store does not take, bad retry or lease
 * settings, {@link LeaseholdLocked} attributes) and missing or ambiguous store beans. Registered in
 * {@code META-INF/spring.factories}; asked before Spring's own analyzers.
 *
 * <p>Thread-safety: stateless apart from the environment, which it only reads.
 */
final class LeaseholdFailureAnalyzer implements FailureAnalyzer, Ordered {
    private static final Set<Class<?>> STORE_BEANS = Set.of(ObjectStore.class, Updates.class, LeaseKeepers.class);
    private static final String EXAMPLE = "leasehold.store.uri=file:///var/lib/app/store (or mem://name in tests,"
            + " s3://bucket/prefix, azure://container/prefix, tigris://bucket)";

    private final Environment environment;

    /**
     * Created by Spring Boot with the failed application's environment.
     *
     * @param environment the environment, or null when the failure came before there was one
     */
    LeaseholdFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        InvalidConfigurationException invalid = find(failure, InvalidConfigurationException.class);
        if (invalid != null) {
            String message = invalid.getMessage();
            String problem = message.startsWith(invalid.setting() + ": ")
                    ? message.substring(invalid.setting().length() + 2) : message;
            return new FailureAnalysis("Leasehold: " + invalid.setting() + origin(invalid.setting()) + " " + problem
                    + ".", invalid.action(), invalid);
        }
        UnboundConfigurationPropertiesException unbound = find(failure, UnboundConfigurationPropertiesException.class);
        if (unbound != null) {
            return unknownProperties(unbound);
        }
        NoSuchBeanDefinitionException missing = find(failure, NoSuchBeanDefinitionException.class);
        if (missing != null && missing.getBeanType() != null && STORE_BEANS.contains(missing.getBeanType())) {
            return storeBeanMissing(failure, missing);
        }
        return null;
    }

    private FailureAnalysis storeBeanMissing(Throwable failure, NoSuchBeanDefinitionException missing) {
        String type = missing.getBeanType().getSimpleName();
        UnsatisfiedDependencyException unsatisfied = find(failure, UnsatisfiedDependencyException.class);
        String who = unsatisfied == null || unsatisfied.getInjectionPoint() == null ? "A component"
                : describe(unsatisfied.getInjectionPoint());
        List<String> named = List.copyOf(namedStores());
        String defaultUri = environment == null ? null : environment.getProperty("leasehold.store.uri");
        String qualify = named.isEmpty() ? "" : "@Qualifier(\"" + named.get(0) + "\")";
        if (missing instanceof NoUniqueBeanDefinitionException) {
            return new FailureAnalysis(who + " needs a Leasehold " + type + " and does not say which: several"
                    + " stores are configured (leasehold.stores: " + String.join(", ", named) + ") and none is"
                    + " the default.", "Qualify the injection point, e.g. " + qualify + ", or set"
                    + " leasehold.store.uri: the default store is injected where no qualifier is given.", missing);
        }
        if (defaultUri == null && named.isEmpty()) {
            return new FailureAnalysis(who + " needs a Leasehold " + type + ", but no store is configured:"
                    + " leasehold.store.uri is not set.", "Set the store's URI, e.g. " + EXAMPLE + ". Several stores:"
                    + " leasehold.stores.<name>.uri, injected with @Qualifier(\"<name>\").", missing);
        }
        if (defaultUri == null) {
            return new FailureAnalysis(who + " needs a Leasehold " + type + " without a qualifier, or with one that"
                    + " names no store; only named stores are configured (leasehold.stores: " + String.join(", ", named)
                    + ").", "Qualify the injection point with a configured name, e.g. " + qualify + ", or set"
                    + " leasehold.store.uri for a default store.", missing);
        }
        return null; // A store is configured: Spring's own analysis says more.
    }

    /**
     * Misspelled or unknown {@code leasehold.*} keys, with the nearest known property for each. Unlike
     * Spring's own report, the values are not shown: an option may hold a connection string.
     */
    private FailureAnalysis unknownProperties(UnboundConfigurationPropertiesException unbound) {
        StringBuilder description = new StringBuilder("Leasehold: unknown properties (a misspelled key would"
                + " otherwise be ignored silently):");
        StringBuilder action = new StringBuilder();
        List<String> known = KnownProperties.names();
        for (ConfigurationProperty property : unbound.getUnboundProperties()) {
            String name = property.getName().toString();
            description.append("\n    ").append(name)
                    .append(property.getOrigin() == null ? "" : " (" + property.getOrigin() + ")");
            KnownProperties.nearest(name, known).ifPresent(near -> action.append(action.length() == 0 ? "" : "\n")
                    .append("Did you mean ").append(near).append(" instead of ").append(name).append("?"));
        }
        action.append(action.length() == 0 ? "" : "\n").append("Remove or correct the keys above; every Leasehold"
                + " property is listed in the starter's configuration metadata (IDE completion) and the Spring Boot guide.");
        return new FailureAnalysis(description.toString(), action.toString(), unbound);
    }

    private Set<String> namedStores() {
        if (environment == null) {
            return Set.of();
        }
        try {
            return Binder.get(environment).bind("leasehold.stores",
                    Bindable.mapOf(String.class, LeaseholdProperties.Store.class)).orElse(Map.of()).keySet();
        } catch (RuntimeException unbindable) {
            return Set.of();
        }
    }

    /** Where a property was set, e.g. " (class path resource [application.properties] - 3:1)". */
    private String origin(String setting) {
        if (environment == null || !setting.startsWith("leasehold.")) {
            return "";
        }
        try {
            ConfigurationPropertyName name = ConfigurationPropertyName.adapt(setting, '.');
            for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
                ConfigurationProperty property = source.getConfigurationProperty(name);
                if (property != null && property.getOrigin() != null) {
                    return " (" + property.getOrigin() + ")";
                }
            }
        } catch (RuntimeException notAPropertyName) {
            // The setting names an annotation attribute or an unusual key: no origin to show.
        }
        return "";
    }

    private static String describe(InjectionPoint point) {
        if (point.getField() != null) {
            return "Field " + point.getField().getName() + " in " + point.getField().getDeclaringClass().getName();
        }
        var parameter = point.getMethodParameter();
        String member = parameter.getExecutable() instanceof java.lang.reflect.Constructor
                ? "constructor" : "method " + parameter.getExecutable().getName();
        return "Parameter " + parameter.getParameterIndex() + " of " + member + " in "
                + parameter.getDeclaringClass().getName();
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
