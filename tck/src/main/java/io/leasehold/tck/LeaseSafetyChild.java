package io.leasehold.tck;

import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.StoreDriverProvider;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import io.leasehold.test.lease.LeaseHistory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child JVM of a lease safety run: opens the store by URI (credentials from the environment, as
 * any user's process would get them), waits for the start file, runs {@link LeaseSafetyWorkload}
 * and writes its {@link LeaseHistory} to a file; its last line of output is {@code DONE <counts>}.
 *
 * <p>Arguments: {@code storeUri key process tenures writesPerTenure durationSeconds historyFile
 * startFile [pauseBeforeWrite]}. With {@code pauseBeforeWrite} = n, the n-th write of the leased
 * object is held just before it is sent (after its lease guard ran): the process prints
 * {@code PAUSE <pid>} and sleeps a second, so the test can stop it there with SIGSTOP (a holder
 * paused between its check and its write) and resume it after its lease has passed to another.
 *
 * <p>Thread-safety: a program; one thread.
 */
public final class LeaseSafetyChild {
    private LeaseSafetyChild() {
    }

    /**
     * Runs the child.
     *
     * @param args see the class documentation
     * @throws Exception on any failure (the exit code is then not 0)
     */
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String key = args[1];
        String process = args[2];
        int tenures = Integer.parseInt(args[3]);
        int writes = Integer.parseInt(args[4]);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[5]));
        Path historyFile = Path.of(args[6]);
        Path start = Path.of(args[7]);
        int pauseAt = args.length > 8 ? Integer.parseInt(args[8]) : 0;
        StoreDriver driver = open(uri);
        if (pauseAt > 0) {
            driver = new PausingBeforeWrite(driver, key, pauseAt);
        }
        LeaseHistory history = LeaseHistory.create();
        try (ObjectStore store = ObjectStore.of(driver)) {
            while (!Files.exists(start)) {
                Thread.sleep(5);
            }
            LeaseSafetyWorkload.Counts counts = new LeaseSafetyWorkload(store, history, process, key, duration,
                    Duration.ofMinutes(5), true).run(tenures, writes);
            history.writeTo(historyFile);
            System.out.println("DONE " + counts);
        }
    }

    private static StoreDriver open(URI uri) {
        for (StoreDriverProvider provider : ServiceLoader.load(StoreDriverProvider.class)) {
            if (provider.schemes().contains(uri.getScheme())) {
                return provider.open(uri);
            }
        }
        throw new IllegalArgumentException("no driver for " + uri.getScheme());
    }

    /** Holds the n-th write of the leased object just before it is sent, for the test to stop the process there. */
    static final class PausingBeforeWrite extends ForwardingStoreDriver {
        private final String key;
        private final int pauseAt;
        private final AtomicInteger writes = new AtomicInteger();

        PausingBeforeWrite(StoreDriver delegate, String key, int pauseAt) {
            super(delegate);
            this.key = key;
            this.pauseAt = pauseAt;
        }

        @Override
        public PutResponse put(String k, byte[] content, PutOptions options) {
            if (k.equals(key) && writes.incrementAndGet() == pauseAt) {
                System.out.println("PAUSE " + ProcessHandle.current().pid());
                System.out.flush();
                try {
                    Thread.sleep(1_000); // stopped here by the test, and resumed later
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.put(k, content, options);
        }
    }
}
