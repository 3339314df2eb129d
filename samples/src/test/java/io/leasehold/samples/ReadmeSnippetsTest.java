package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's Java snippets are copied from the compiled samples, line for line. */
class ReadmeSnippetsTest {

    @Test
    void everyJavaSnippetLineIsInASample() throws IOException {
        Path readme = Path.of("..", "README.md");
        assertTrue(Files.isRegularFile(readme), "README.md next to the samples module");
        Set<String> sampleLines = new HashSet<>();
        // Samples, and the tests that show how to test them (the test kit's worked example).
        for (Path root : List.of(Path.of("src", "main", "java"), Path.of("src", "test", "java"))) {
            try (Stream<Path> sources = Files.walk(root)) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Files.readAllLines(source).forEach(line -> sampleLines.add(line.strip()));
                }
            }
        }
        Matcher block = Pattern.compile("(?s)```java\\n(.*?)```").matcher(Files.readString(readme));
        List<String> missing = new ArrayList<>();
        int snippets = 0;
        while (block.find()) {
            snippets++;
            for (String line : block.group(1).split("\n")) {
                if (!line.isBlank() && !sampleLines.contains(line.strip())) {
                    missing.add(line.strip());
                }
            }
        }
        assertTrue(snippets >= 2, "the README shows the samples");
        assertTrue(missing.isEmpty(), "README lines not found in the samples: " + missing);
    }
}
