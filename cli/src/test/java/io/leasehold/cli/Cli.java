package io.leasehold.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Runs the CLI in-process with captured streams. */
final class Cli {
    private Cli() {
    }

    record Run(int exit, byte[] stdoutBytes, String stderr) {
        String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }
    }

    static String memStore() {
        return "mem://cli-test-" + UUID.randomUUID();
    }

    static Run run(String... args) {
        return runWithInput(new byte[0], args);
    }

    static Run runWithInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = LeaseholdCli.commandLine(new ByteArrayInputStream(stdin), o, e).execute(args);
        }
        return new Run(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }
}
