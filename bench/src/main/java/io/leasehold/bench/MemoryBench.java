package io.leasehold.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The facade alone: the memory driver called directly ({@code raw}) against the same calls through
 * {@link io.leasehold.core.ObjectStore} ({@code leasehold}): validation, write id and history, the retry
 * wrapper, copies, and publishing results without the bookkeeping.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MemoryBench {
    /** Driver alone or through the facade. */
    @Param({StubClients.RAW, StubClients.LEASEHOLD})
    public String path;

    /** Content size in bytes. */
    @Param({"1024"})
    public int size;

    private Ops ops;

    /** Builds the store. */
    @Setup
    public void setUp() {
        ops = StubClients.memory(path, Fixture.of(size));
    }

    /** Closes it. */
    @TearDown
    public void tearDown() {
        ops.close();
    }

    /** @return an unconditional put */
    @Benchmark
    public Object put() {
        return ops.put();
    }

    /** @return a get */
    @Benchmark
    public Object get() {
        return ops.get();
    }

    /** @return a read-modify-write */
    @Benchmark
    public Object update() {
        return ops.update();
    }
}
