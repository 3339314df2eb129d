package io.leasehold.test;

import io.leasehold.core.ObjectStore;
import io.leasehold.driver.file.FileDriver;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.StoreDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives each test a fresh, empty store: declare an {@link ObjectStore}
 * parameter, and a {@link FaultInjectingDriver} parameter to script faults on that same store.
 *
 * <pre>{@code
 * @ExtendWith(LeaseholdExtension.class)          // a fresh in-memory store per test
 * class PaymentLedgerTest {
 *     @Test
 *     void recordsOnce(ObjectStore store, FaultInjectingDriver faults) {
 *         faults.nextPut().landsButResponseIsLost();
 *         ...
 *     }
 * }
 *
 * @RegisterExtension                             // or another driver per test
 * static LeaseholdExtension leasehold = LeaseholdExtension.withDriver(() -> myAzuriteDriver());
 * }</pre>
 *
 * <p>The store wraps the driver in a {@link FaultInjectingDriver}, which passes everything through
 * until a fault is scripted. Store and driver are closed after the test (a file store's directory is
 * deleted). Parameters of one test (including its {@code @BeforeEach} methods) get the same store.
 *
 * <p>Thread-safety: the extension is stateless; each test's store is safe for concurrent use.
 */
public final class LeaseholdExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeaseholdExtension.class);
    private static final String KEY = "store";

    private final Supplier<StoreDriver> drivers;
    private final boolean fileStore;

    /** A fresh in-memory store per test (what {@code @ExtendWith(LeaseholdExtension.class)} uses). */
    public LeaseholdExtension() {
        this(MemoryDriver::create, false);
    }

    private LeaseholdExtension(Supplier<StoreDriver> drivers, boolean fileStore) {
        this.drivers = drivers;
        this.fileStore = fileStore;
    }

    /**
     * A fresh in-memory store per test.
     *
     * @return the extension, for {@code @RegisterExtension}
     */
    public static LeaseholdExtension memory() {
        return new LeaseholdExtension();
    }

    /**
     * A fresh file store per test, in a temporary directory deleted afterwards.
     *
     * @return the extension, for {@code @RegisterExtension}
     */
    public static LeaseholdExtension file() {
        return new LeaseholdExtension(null, true);
    }

    /**
     * A store over a driver of your choice per test (e.g. one on a local Azurite or S3 server, with a
     * unique prefix per test).
     *
     * @param drivers called once per test
     * @return the extension, for {@code @RegisterExtension}
     */
    public static LeaseholdExtension withDriver(Supplier<StoreDriver> drivers) {
        return new LeaseholdExtension(Objects.requireNonNull(drivers, "drivers"), false);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ObjectStore.class || type == FaultInjectingDriver.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        PerTest perTest = context.getStore(NAMESPACE).getOrComputeIfAbsent(KEY, k -> open(), PerTest.class);
        return parameter.getParameter().getType() == ObjectStore.class ? perTest.store : perTest.faults;
    }

    private PerTest open() {
        Path dir = null;
        StoreDriver driver;
        if (fileStore) {
            try {
                dir = Files.createTempDirectory("leasehold-test-");
            } catch (IOException e) {
                throw new ParameterResolutionException("cannot create a temporary directory", e);
            }
            driver = FileDriver.open(dir);
        } else {
            driver = drivers.get();
        }
        return new PerTest(FaultInjectingDriver.wrap(driver), dir);
    }

    /** One test's store; closed by JUnit when the test's context closes (stored values that are AutoCloseable are closed). */
    private static final class PerTest implements AutoCloseable {
        final FaultInjectingDriver faults;
        final ObjectStore store;
        final Path dir;

        PerTest(FaultInjectingDriver faults, Path dir) {
            this.faults = faults;
            this.store = ObjectStore.of(faults);
            this.dir = dir;
        }

        @Override
        public void close() throws IOException {
            store.close();
            if (dir != null) {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.delete(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                        if (e != null) {
                            throw new UncheckedIOException(e);
                        }
                        Files.delete(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
        }
    }
}
