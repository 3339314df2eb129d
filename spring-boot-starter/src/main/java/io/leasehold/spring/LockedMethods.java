package io.leasehold.spring;

import io.leasehold.core.Capability;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.ObjectStoreException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Puts {@link LeaseholdLocked} methods behind the lease: a post-processor that proxies every bean
 * with such a method (after the application's own AOP proxies, before {@code @Scheduled} registers
 * the bean's methods, so the scheduler calls through the lock) and checks each method's attributes
 * when the bean is created and its store once all singletons exist.
 *
 * <p>Thread-safety: configuration at startup; the interceptor is safe for concurrent calls.
 */
final class LockedMethods extends AbstractBeanFactoryAwareAdvisingPostProcessor implements SmartInitializingSingleton {
    private static final long serialVersionUID = 1L;
    /** The logger of skipped and lost runs, named after the annotation users look for. */
    private static final Log LOG = LogFactory.getLog(LeaseholdLocked.class);

    private final transient Map<Method, Spec> specs = new ConcurrentHashMap<>();
    private transient ConfigurableListableBeanFactory beanFactory;

    LockedMethods() {
        this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, LeaseholdLocked.class, true),
                (MethodInterceptor) this::invoke);
        setProxyTargetClass(true);
        // Before @Scheduled (lowest precedence) registers the bean it is given; after auto-proxy creators.
        setOrder(Ordered.LOWEST_PRECEDENCE - 100);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        super.setBeanFactory(beanFactory);
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        if (!AnnotationUtils.isCandidateClass(type, LeaseholdLocked.class)) {
            return super.postProcessAfterInitialization(bean, beanName);
        }
        ReflectionUtils.doWithMethods(type, method -> {
            LeaseholdLocked locked = AnnotatedElementUtils.findMergedAnnotation(method, LeaseholdLocked.class);
            if (locked != null) {
                specs.put(ClassUtils.getMostSpecificMethod(method, type), Spec.of(method, locked, beanFactory));
            }
        });
        return super.postProcessAfterInitialization(bean, beanName);
    }

    /** Every locked method's store exists and has leases (else startup fails naming the method). */
    @Override
    public void afterSingletonsInstantiated() {
        for (Spec spec : specs.values()) {
            LeaseKeepers keepers = spec.keepers(beanFactory);
            if (!keepers.store().capabilities().supports(Capability.LEASES)) {
                throw new InvalidConfigurationException(spec.where + ".store", "names the store '"
                        + spec.storeLabel() + "', whose " + keepers.store().driverName() + " driver has no leases",
                        "Lock on a store with leases (memory, file, Azure, S3 with emulated leases).");
            }
        }
    }

    private Object invoke(MethodInvocation invocation) throws Throwable {
        Class<?> target = invocation.getThis() == null ? invocation.getMethod().getDeclaringClass()
                : AopUtils.getTargetClass(invocation.getThis());
        Method method = ClassUtils.getMostSpecificMethod(invocation.getMethod(), target);
        Spec spec = specs.get(method);
        if (spec == null) {
            LeaseholdLocked locked = AnnotatedElementUtils.findMergedAnnotation(method, LeaseholdLocked.class);
            if (locked == null) {
                return invocation.proceed();
            }
            spec = specs.computeIfAbsent(method, m -> Spec.of(m, locked, beanFactory));
        }
        LeaseKeepers keepers = spec.keepers(beanFactory);
        Watch watch = new Watch(Thread.currentThread(), spec.interruptOnLoss);
        LeaseKeeper keeper;
        try {
            Spec s = spec;
            keeper = keepers.keep(spec.key, watch, options -> {
                options.createIfAbsent(true);
                if (s.duration != null) {
                    options.duration(s.duration);
                }
                if (s.wait != null) {
                    options.waitUpTo(s.wait);
                }
            });
        } catch (LeaseHeldException held) {
            if (LOG.isDebugEnabled()) {
                LOG.debug(spec.where + " skipped: the lease on '" + spec.key + "' is held elsewhere");
            }
            return null;
        }
        LeaseholdLock previous = LeaseholdLock.enter(new LeaseholdLock(keepers.store(), keeper));
        try {
            return invocation.proceed();
        } finally {
            boolean lost = watch.finish();
            LeaseholdLock.exit(previous);
            keeper.close();
            if (lost) {
                LOG.warn(spec.where + " lost its lease on '" + spec.key + "' while running ("
                        + keeper.lossCause().map(c -> c.code().name()).orElse("UNKNOWN") + ")"
                        + (spec.interruptOnLoss ? "; its thread was interrupted" : ""));
            }
        }
    }

    /** A locked method's attributes, resolved and checked. */
    static final class Spec {
        final String where;
        final String key;
        final Duration duration;
        final Duration wait;
        final String store;
        final boolean interruptOnLoss;

        private Spec(String where, String key, Duration duration, Duration wait, String store, boolean interruptOnLoss) {
            this.where = where;
            this.key = key;
            this.duration = duration;
            this.wait = wait;
            this.store = store;
            this.interruptOnLoss = interruptOnLoss;
        }

        static Spec of(Method method, LeaseholdLocked locked, ConfigurableListableBeanFactory beanFactory) {
            String where = "@LeaseholdLocked on " + method.getDeclaringClass().getSimpleName() + "." + method.getName();
            Class<?> returns = method.getReturnType();
            if (returns.isPrimitive() && returns != void.class) {
                throw new InvalidConfigurationException(where, "returns " + returns + ", which a skipped call cannot"
                        + " return", "Return void or a reference type (null when another instance holds the lease).");
            }
            String key = resolve(beanFactory, locked.key());
            if (key == null || key.isBlank()) {
                throw new InvalidConfigurationException(where + ".key", "is empty", "Name the lock object, e.g."
                        + " key = \"jobs/nightly\".");
            }
            return new Spec(where, key, duration(where + ".duration", resolve(beanFactory, locked.duration())),
                    duration(where + ".waitUpTo", resolve(beanFactory, locked.waitUpTo())),
                    resolve(beanFactory, locked.store()), locked.interruptOnLoss());
        }

        private static String resolve(ConfigurableListableBeanFactory beanFactory, String value) {
            return beanFactory == null ? value : beanFactory.resolveEmbeddedValue(value);
        }

        private static Duration duration(String where, String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                return DurationStyle.detectAndParse(value.trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(where, "'" + value + "' is not a duration",
                        "Write a duration such as 30s, 500ms, 1m or PT30S.");
            }
        }

        String storeLabel() {
            return store == null || store.isEmpty() ? ConfiguredStores.DEFAULT : store;
        }

        LeaseKeepers keepers(ConfigurableListableBeanFactory beanFactory) {
            try {
                return store == null || store.isEmpty() ? beanFactory.getBean(LeaseKeepers.class)
                        : BeanFactoryAnnotationUtils.qualifiedBeanOfType(beanFactory, LeaseKeepers.class, store);
            } catch (NoSuchBeanDefinitionException e) {
                String property = ConfiguredStores.prefix(storeLabel()) + ".uri";
                throw new InvalidConfigurationException(property, "is not set, but " + where + " locks on the store '"
                        + storeLabel() + "'", "Set " + property + ", or name a configured store in " + where + ".");
            }
        }
    }

    /** The keeper's listener for one call: interrupts the method's thread on loss, while it runs. */
    static final class Watch implements LeaseListener {
        private final Thread thread;
        private final boolean interrupt;
        private boolean running = true;
        private boolean lost;
        private boolean interrupted;

        Watch(Thread thread, boolean interrupt) {
            this.thread = thread;
            this.interrupt = interrupt;
        }

        @Override
        public synchronized void onLost(Lease lease, ObjectStoreException cause) {
            lost = true;
            if (running && interrupt) {
                thread.interrupt();
                interrupted = true;
            }
        }

        /**
         * Called on the method's thread when it returns: no interrupt after this, and the one this
         * watch caused is cleared so the thread (often a scheduler's) goes on clean.
         *
         * @return whether the lease was lost during the call
         */
        synchronized boolean finish() {
            running = false;
            if (interrupted) {
                Thread.interrupted();
            }
            return lost;
        }
    }
}
