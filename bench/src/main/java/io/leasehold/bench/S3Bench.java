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

/** S3 driver against the raw AWS SDK over an in-process stub transport ({@link StubS3Http}). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class S3Bench {
    /** Which way the request is made (see {@link StubClients}). */
    @Param({StubClients.RAW, StubClients.RAW_BOOKKEEPING, StubClients.LEASEHOLD, StubClients.LEASEHOLD_CALLER,
            StubClients.LEASEHOLD_CALLER_CONFIGURED})
    public String path;

    /** Content size in bytes. */
    @Param({"1024"})
    public int size;

    private Ops ops;

    /** Builds the client and store. */
    @Setup
    public void setUp() {
        ops = StubClients.s3(path, Fixture.of(size));
    }

    /** Closes them. */
    @TearDown
    public void tearDown() {
        ops.close();
    }

    /** @return unconditional PutObject */
    @Benchmark
    public Object put() {
        return ops.put();
    }

    /** @return PutObject with If-Match */
    @Benchmark
    public Object putIfMatch() {
        return ops.putIfMatch();
    }

    /** @return GetObject */
    @Benchmark
    public Object get() {
        return ops.get();
    }

    /** @return GetObject with If-None-Match answered 304 */
    @Benchmark
    public Object getIfNoneMatch() {
        return ops.getIfNoneMatch();
    }

    /** @return GetObject, then PutObject with If-Match on the ETag read */
    @Benchmark
    public Object update() {
        return ops.update();
    }
}
