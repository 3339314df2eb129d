package io.leasehold.spring;

import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.ObjectStore;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Registers the beans of each named store ({@code leasehold.stores.<name>.*}), every one qualified by
 * the store's name ({@code @Qualifier("orders")}): the {@link ObjectStore}
 * ({@code leaseholdObjectStore.<name>}, closed with the context), its {@link AsyncObjectStore}
 * ({@code leaseholdAsyncObjectStore.<name>}), its {@link Updates} and {@link LeaseKeepers}, and with
 * Actuator its health indicator (contributor {@code leasehold-<name>}).
 * Beans are created on first use, like any singleton, from the bound {@link LeaseholdProperties}.
 *
 * <p>Thread-safety: runs once, while the context is being configured.
 */
final class NamedStores implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {
    private static final String BOOT3_HEALTH = "org.springframework.boot.actuate.health.AbstractHealthIndicator";
    private static final String BOOT4_HEALTH = "org.springframework.boot.health.contributor.AbstractHealthIndicator";

    private Environment environment;
    private BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /** The bean name of a named store. */
    static String storeBeanName(String name) {
        return "leaseholdObjectStore." + name;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        Map<String, LeaseholdProperties.Store> stores = Binder.get(environment)
                .bind("leasehold.stores", Bindable.mapOf(String.class, LeaseholdProperties.Store.class)).orElse(Map.of());
        ClassLoader loader = getClass().getClassLoader();
        boolean health = environment.getProperty("management.health.leasehold.enabled", Boolean.class, true);
        for (String name : stores.keySet()) {
            ConfiguredStores.checkName(name);
            register(registry, storeBeanName(name), name, ObjectStore.class,
                    () -> configured().open(name), "close");
            register(registry, "leaseholdAsyncObjectStore." + name, name, AsyncObjectStore.class,
                    () -> store(name).async(), null);
            register(registry, "leaseholdUpdates." + name, name, Updates.class,
                    () -> new Updates(store(name), configured().updateOptions(name)), null);
            register(registry, "leaseholdLeaseKeepers." + name, name, LeaseKeepers.class,
                    () -> new LeaseKeepers(store(name), configured().leaseOptions(name)), null);
            if (health && ClassUtils.isPresent(BOOT3_HEALTH, loader)) {
                register(registry, "leasehold-" + name + "HealthIndicator", name, LeaseholdHealthIndicator.class,
                        () -> new LeaseholdHealthIndicator(store(name), healthKey()), null);
            } else if (health && ClassUtils.isPresent(BOOT4_HEALTH, loader)) {
                register(registry, "leasehold-" + name + "HealthIndicator", name, LeaseholdBoot4HealthIndicator.class,
                        () -> new LeaseholdBoot4HealthIndicator(store(name), healthKey()), null);
            }
        }
    }

    private <T> void register(BeanDefinitionRegistry registry, String beanName, String qualifier, Class<T> type,
                              Supplier<T> supplier, String destroyMethod) {
        AbstractBeanDefinition definition = BeanDefinitionBuilder.genericBeanDefinition(type, supplier).getBeanDefinition();
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, qualifier));
        if (destroyMethod != null) {
            definition.setDestroyMethodName(destroyMethod);
        }
        registry.registerBeanDefinition(beanName, definition);
    }

    private ConfiguredStores configured() {
        return beanFactory.getBean(ConfiguredStores.class);
    }

    private ObjectStore store(String name) {
        return beanFactory.getBean(storeBeanName(name), ObjectStore.class);
    }

    private String healthKey() {
        return beanFactory.getBean(LeaseholdProperties.class).getHealth().getKey();
    }
}
