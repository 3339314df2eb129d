package io.leasehold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Store failures map to exit codes 6, 7 and 1, with one error line and no stack trace or secret. */
class FailureExitCodesTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("lease_held", 6, "LEASE_HELD"),
                Arguments.of("lease_mismatch", 6, "LEASE_MISMATCH"),
                Arguments.of("lease_lost", 6, "LEASE_LOST"),
                Arguments.of("transient", 7, "TRANSIENT"),
                Arguments.of("throttled", 7, "THROTTLED"),
                Arguments.of("conflict", 7, "CONFLICT"),
                Arguments.of("outcome_unknown", 7, "OUTCOME_UNKNOWN"),
                Arguments.of("access_denied", 1, "ACCESS_DENIED"),
                Arguments.of("unknown", 1, "UNKNOWN"),
                Arguments.of("runtime", 1, "UNKNOWN"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("failures")
    void everyCommandMapsTheFailure(String mode, int exit, String code) {
        String store = "--store=faulty://" + mode;
        for (String[] args : new String[][] {
                {"put", "k", "--data", "x", store},
                {"get", "k", store},
                {"head", "k", store},
                {"delete", "k", store},
                {"demo", "--writers", "1", "--increments", "1", store}}) {
            Cli.Run run = Cli.run(args);
            assertEquals(exit, run.exit(), args[0] + ": " + run.stderr());
            CliCommandsTest.assertErrorLine(run, code);
            assertFalse(run.stderr().contains(TestDrivers.SECRET), "no secret in: " + run.stderr());
        }
    }
}
