package io.leasehold.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A small service on the Leasehold starter: counters incremented through read-modify-write
 * ({@link CounterController}), one leader among its instances ({@link LeaderElection}), and a scheduled
 * job that one instance at a time runs ({@link ReportJob}). The store
 * comes from {@code leasehold.store.uri} (default {@code mem://sample}; e.g.
 * {@code LEASEHOLD_STORE=azure://counters?createContainer=true}).
 *
 * <p>Thread-safety: Spring wiring only.
 */
@SpringBootApplication
@EnableScheduling
public class CounterServiceApplication {
    /** Created by Spring. */
    public CounterServiceApplication() {
    }

    /**
     * Starts the service.
     *
     * @param args Spring Boot arguments, e.g. {@code --leasehold.store.uri=file:///tmp/counters}
     */
    public static void main(String[] args) {
        SpringApplication.run(CounterServiceApplication.class, args);
    }
}
