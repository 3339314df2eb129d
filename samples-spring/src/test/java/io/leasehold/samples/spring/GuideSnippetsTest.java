package io.leasehold.samples.spring;

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

/** The Spring Boot guide's Java snippets ({@code docs/spring-boot.md}) are lines of this compiled sample. */
class GuideSnippetsTest {

    @Test
    void everyJavaSnippetLineIsInTheSample() throws IOException {
        Path guide = Path.of("..", "docs", "spring-boot.md");
        assertTrue(Files.isRegularFile(guide), "docs/spring-boot.md beside the module");
        Set<String> sampleLines = new HashSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Files.readAllLines(source).forEach(line -> sampleLines.add(line.strip()));
            }
        }
        Matcher block = Pattern.compile("(?s)```java\\n(.*?)```").matcher(Files.readString(guide));
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
        assertTrue(snippets >= 2, "the guide shows the sample");
        assertTrue(missing.isEmpty(), "guide lines not found in the sample: " + missing);
    }
}
