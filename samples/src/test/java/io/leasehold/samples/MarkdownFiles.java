package io.leasehold.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The project's Markdown files (README, docs/, module READMEs) and their fenced blocks, for the doc checks. */
final class MarkdownFiles {
    /** The repository root: the samples module's parent. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", "node_modules", ".git", ".leasehold", ".idea");
    private static final Pattern FENCE = Pattern.compile("(?m)^```(\\w*)[^\\n]*\\n(.*?)^```", Pattern.DOTALL);

    private MarkdownFiles() {
    }

    /** A fenced block: its file, language tag, first line number (1-based) and text. */
    record Block(Path file, String language, int line, String text) {
        @Override
        public String toString() {
            return ROOT.relativize(file) + ":" + line;
        }
    }

    /** Every Markdown file in the repository outside build output and installed packages. */
    static List<Path> all() {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(ROOT, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes attrs) {
                    return SKIPPED_DIRECTORIES.contains(dir.getFileName().toString()) && !dir.equals(ROOT)
                            ? java.nio.file.FileVisitResult.SKIP_SUBTREE : java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                    if (file.getFileName().toString().endsWith(".md")) {
                        files.add(file);
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(null);
        return files;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fenced blocks of a file, in order. */
    static List<Block> blocks(Path file) {
        String text = read(file);
        List<Block> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
            blocks.add(new Block(file, m.group(1), line, m.group(2)));
        }
        return blocks;
    }

    /** The file's text with fenced blocks blanked out (line numbers kept) and inline code removed. */
    static String prose(Path file) {
        Matcher m = FENCE.matcher(read(file));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group().replaceAll("[^\\n]", "")));
        }
        m.appendTail(out);
        return out.toString().replaceAll("`[^`\\n]*`", "``");
    }

    /** Source files of the samples module (main and test). */
    static List<Path> sampleSources() {
        List<Path> sources = new ArrayList<>();
        // The samples, and the Spring Boot sample service (docs/spring-boot.md shows it).
        for (Path root : List.of(Path.of("src", "main", "java"), Path.of("src", "test", "java"),
                ROOT.resolve("samples-spring/src/main/java"))) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }
}
