package io.leasehold.bench.contention;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A child JVM of a multi-process cell: builds its clients, prints {@code READY}, waits for
 * {@code GO <epochMillis>} on standard input, runs its writers and prints {@code RESULT <json>}.
 * Arguments: spec, strategy, threads, key, warm-up ms, window ms.
 */
public final class ContentionWorker {
    private ContentionWorker() {
    }

    /**
     * Entry point.
     *
     * @param args spec, strategy, threads, key, warm-up ms, window ms
     * @throws Exception on any failure (the parent reports it)
     */
    public static void main(String[] args) throws Exception {
        Target target = new Target(args[0]);
        String strategy = args[1];
        int threads = Integer.parseInt(args[2]);
        String key = args[3];
        long warmup = Long.parseLong(args[4]);
        long window = Long.parseLong(args[5]);
        // Touch the clients once so that class loading happens before the start signal.
        if (Strategy.usesLeasehold(strategy)) {
            Target.Counted<io.leasehold.core.ObjectStore> s = target.leasehold();
            s.value.head(key);
            s.value.close();
        } else {
            target.raw().read(key);
        }
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null || !line.startsWith("GO ")) {
            System.exit(2);
        }
        long start = Long.parseLong(line.substring(3).trim());
        CellResult result = Cell.run(target, strategy, threads, key, start, warmup, window);
        System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
        System.out.flush();
        System.exit(0);
    }
}
