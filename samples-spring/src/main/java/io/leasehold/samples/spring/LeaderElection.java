package io.leasehold.samples.spring;

import io.leasehold.core.Capability;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * One leader among the service's instances: each instance tries to hold the lease on
 * {@code sample.leader-key} with a {@link LeaseKeeper}; the holder is the leader until it
 * stops (the keeper releases the lease) or loses it (the keeper says so before it can expire), and
 * then another instance takes over. {@code GET /leader} tells whether this instance leads.
 *
 * <p>Thread-safety: safe for concurrent use; one background thread campaigns.
 */
@Component
@RestController
public class LeaderElection implements SmartLifecycle {
    private final ObjectStore store;
    private final String key;
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicReference<LeaseKeeper> keeper = new AtomicReference<>();
    private volatile boolean running;
    private Thread campaign;

    /**
     * Creates the election.
     *
     * @param store the store
     * @param key the key whose lease marks the leader
     */
    public LeaderElection(ObjectStore store, @Value("${sample.leader-key:leader}") String key) {
        this.store = store;
        this.key = key;
    }

    /**
     * Whether this instance leads now.
     *
     * @return true while its keeper certainly holds the lease
     */
    public boolean isLeader() {
        LeaseKeeper k = keeper.get();
        return k != null && k.isHeld();
    }

    /**
     * The election as this instance sees it.
     *
     * @return instance id, leader flag, whether the store has leases, renewals so far
     */
    @GetMapping("/leader")
    public Map<String, Object> status() {
        LeaseKeeper k = keeper.get();
        return Map.of("instance", instance, "leader", isLeader(),
                "leasesSupported", store.capabilities().supports(Capability.LEASES),
                "renewals", k == null ? 0 : k.renewals());
    }

    /** The current keeper, for tests in this package. */
    LeaseKeeper currentKeeper() {
        return keeper.get();
    }

    @Override
    public void start() {
        running = true;
        if (!store.capabilities().supports(Capability.LEASES)) {
            return; // nothing to campaign for; /leader says so
        }
        campaign = new Thread(this::campaign, "leader-election-" + instance);
        campaign.setDaemon(true);
        campaign.start();
    }

    private void campaign() {
        LeaseOptions options = LeaseOptions.builder().duration(Duration.ofSeconds(15)).createIfAbsent(true)
                .waitUpTo(Duration.ofSeconds(20)).build();
        while (running) {
            LeaseKeeper current = keeper.get();
            if (current != null && current.isHeld()) {
                sleep(500);
                continue;
            }
            try {
                LeaseKeeper won = store.leases().keep(key, options, new LeaseListener() {
                    @Override
                    public void onLost(Lease lease, ObjectStoreException cause) {
                        // isLeader() is false from now on; the campaign loop tries again.
                    }
                });
                LeaseKeeper previous = keeper.getAndSet(won);
                if (previous != null) {
                    previous.close();
                }
            } catch (LeaseHeldException held) {
                // Another instance leads; keep campaigning.
            } catch (ObjectStoreException failed) {
                sleep(1_000);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        if (campaign != null) {
            campaign.interrupt();
        }
        LeaseKeeper k = keeper.getAndSet(null);
        if (k != null) {
            k.close(); // releases: another instance can take over at once
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
