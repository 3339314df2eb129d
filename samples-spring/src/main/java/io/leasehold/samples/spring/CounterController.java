package io.leasehold.samples.spring;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.UpdateResult;
import io.leasehold.spring.Updates;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Counters over HTTP: {@code POST /counters/{name}/increment} adds one with read-modify-write
 * ({@link Updates}: read, +1, write only if unchanged; on a lost race re-read and retry, under the
 * retry of {@code leasehold.store.update.*}), so concurrent requests, from any number of instances,
 * never lose an increment.
 *
 * <p>Thread-safety: stateless; the store is shared.
 */
@RestController
public class CounterController {
    private final ObjectStore store;
    private final Updates updates;

    /**
     * Creates the controller.
     *
     * @param store the store from the Leasehold starter
     * @param updates read-modify-write on that store, with the configured retry
     */
    public CounterController(ObjectStore store, Updates updates) {
        this.store = store;
        this.updates = updates;
    }

    /**
     * Adds one to a counter, creating it at 1.
     *
     * @param name the counter
     * @return the new value and how many attempts it took
     */
    @PostMapping("/counters/{name}/increment")
    public Map<String, Object> increment(@PathVariable("name") String name) {
        UpdateResult result = updates.update(key(name), CounterController::plusOne);
        return Map.of("name", name, "value", parse(result.content()), "attempts", result.attempts());
    }

    /**
     * A counter's value.
     *
     * @param name the counter
     * @return the value (0 if it was never incremented)
     */
    @GetMapping("/counters/{name}")
    public Map<String, Object> value(@PathVariable("name") String name) {
        long value;
        try {
            value = parse(store.get(key(name)).content());
        } catch (ObjectNotFoundException absent) {
            value = 0;
        }
        return Map.of("name", name, "value", value);
    }

    /**
     * Store failures as answers a client can act on: an increment whose outcome is unknown (its write
     * may or may not have landed, and the store kept no evidence: Ceph RGW sometimes answers a lost
     * race with 500) is 503 with {@code OUTCOME_UNKNOWN}: read the counter before trying again.
     *
     * @param e the failure
     * @return the answer
     */
    @ExceptionHandler(ObjectStoreException.class)
    public ResponseEntity<Map<String, Object>> failed(ObjectStoreException e) {
        HttpStatus status = e.code() == ErrorCode.OUTCOME_UNKNOWN || e.retryable()
                ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.INTERNAL_SERVER_ERROR;
        return ResponseEntity.status(status).body(Map.of("error", e.code().name(), "retryable", e.retryable()));
    }

    private static String key(String name) {
        return "counters/" + name;
    }

    /** The update function: it may run several times, so it only computes. */
    private static byte[] plusOne(byte[] current) {
        return Long.toString(current == null ? 1 : parse(current) + 1).getBytes(StandardCharsets.US_ASCII);
    }

    private static long parse(byte[] content) {
        return Long.parseLong(new String(content, StandardCharsets.US_ASCII));
    }
}
