package io.leasehold.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.bench.contention.ContentionMain;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The seconds-long smoke run of the default build: every benchmark path works against its stub, JMH's
 * generated code runs, the report renders, and the contention harness runs a tiny cell in threads and
 * in separate JVMs with a consistent counter. Measures nothing.
 */
class BenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void everyPathSendsTheRequestsItShouldToItsStub() {
        Fixture fixture = Fixture.of(64);
        for (String path : List.of(StubClients.RAW, StubClients.RAW_BOOKKEEPING, StubClients.LEASEHOLD,
                StubClients.LEASEHOLD_CALLER, StubClients.LEASEHOLD_CALLER_CONFIGURED)) {
            StubS3Http s3 = new StubS3Http(fixture);
            try (Ops ops = StubClients.s3(path, fixture, s3)) {
                assertOneEach(ops, () -> s3.requests(), "s3 " + path);
            }
            if (!path.equals(StubClients.LEASEHOLD_CALLER_CONFIGURED)) {
                StubAzureHttp azure = new StubAzureHttp(fixture);
                try (Ops ops = StubClients.azure(path, fixture, azure)) {
                    assertOneEach(ops, () -> azure.requests(), "azure " + path);
                }
            }
        }
    }

    private static void assertOneEach(Ops ops, java.util.function.LongSupplier requests, String what) {
        long before = requests.getAsLong();
        assertNotNull(ops.put());
        assertNotNull(ops.putIfMatch());
        assertNotNull(ops.get());
        assertNotNull(ops.getIfNoneMatch());
        assertEquals(4, requests.getAsLong() - before, what + ": put, conditional put, get, conditional get");
        assertNotNull(ops.update());
        assertEquals(6, requests.getAsLong() - before, what + ": update is a read and a write");
    }

    @Test
    void jmhRunsABenchmarkAndTheReportRendersIt() throws Exception {
        Path json = dir.resolve("jmh.json");
        Options options = new OptionsBuilder().include(MemoryBench.class.getSimpleName() + ".get")
                .param("path", StubClients.RAW, StubClients.LEASEHOLD)
                .forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(100))
                .resultFormat(ResultFormatType.JSON).result(json.toString()).build();
        assertEquals(2, new Runner(options).run().size());
        String tables = ReportMain.jmhTables(json);
        assertTrue(tables.contains("| get |"), tables);
        assertTrue(tables.contains("leasehold µs/op"), tables);
    }

    @Test
    void theContentionHarnessRunsInThreadsAndAcrossJvms() throws Exception {
        List<ContentionMain.Row> rows = new java.util.ArrayList<>(ContentionMain.run(ContentionMain.Settings.parse(new String[] {
            "--stores", "memory,file", "--writers", "2", "--modes", "threads",
            "--strategies", "leasehold,r4j-default,exponential", "--warmup-ms", "100", "--window-ms", "500"}), line -> { }));
        rows.addAll(ContentionMain.run(ContentionMain.Settings.parse(new String[] {
            "--stores", "file", "--writers", "2", "--modes", "processes", "--strategies", "leasehold",
            "--warmup-ms", "100", "--window-ms", "500", "--processes", "2"}), line -> { }));
        assertEquals(7, rows.size());
        for (ContentionMain.Row row : rows) {
            assertNull(row.error, row.store + " " + row.mode + " " + row.strategy + ": " + row.error);
            assertTrue(row.result.successesTotal > 0, "some update succeeded: " + row.store + " " + row.strategy);
            assertTrue(row.counterConsistent(), "counter " + row.finalCounter + " vs " + row.result.successesTotal);
        }
        String md = ContentionMain.markdown(rows);
        assertTrue(md.contains("#### file — spread over JVMs"), md);
        assertFalse(md.contains("error"), md);
    }
}
