package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java snippets of every Markdown file (README, docs/, module READMEs) are copied from the
 * compiled samples, line for line, and are complete: they show their imports or link to the sample
 * file that has them, and every helper they call is defined in the snippet or an earlier one on the
 * same page. Properties blocks outside docs/spring-boot.md name only settings the starter binds.
 */
class ReadmeSnippetsTest {
    /** A call of a bare (unqualified, lower-case) method name: a helper the reader must see defined. */
    private static final Pattern BARE_CALL = Pattern.compile("(?<![\\w.@$:])([a-z]\\w*)\\s*\\(");
    /** A method declaration: a return type (possibly generic or an array) before the name. */
    private static final Pattern DECLARATION = Pattern.compile("[\\w>\\]]\\s+([a-z]\\w*)\\s*\\([^;]*\\)\\s*(throws [\\w., ]+)?\\{");
    private static final Pattern STATIC_IMPORT = Pattern.compile("import static [\\w.]+\\.(\\w+);");
    private static final Pattern SAMPLE_LINK = Pattern.compile("\\]\\(([^)#\\s]+\\.java)\\)");
    private static final Set<String> KEYWORDS = Set.of("if", "for", "while", "switch", "catch", "synchronized",
            "return", "throw", "super", "this", "try", "assert", "new", "else");

    @Test
    void everyJavaSnippetLineIsInASample() {
        Set<String> sampleLines = new HashSet<>();
        for (Path source : MarkdownFiles.sampleSources()) {
            MarkdownFiles.read(source).lines().forEach(line -> sampleLines.add(line.strip()));
        }
        List<String> missing = new ArrayList<>();
        int snippets = 0;
        for (Path file : MarkdownFiles.all()) {
            for (MarkdownFiles.Block block : MarkdownFiles.blocks(file)) {
                if (!block.language().equals("java")) {
                    continue;
                }
                snippets++;
                for (String line : block.text().split("\n")) {
                    if (!line.isBlank() && !sampleLines.contains(line.strip())) {
                        missing.add(block + ": " + line.strip());
                    }
                }
            }
        }
        assertTrue(snippets >= 15, "the docs show the samples: " + snippets + " snippets");
        assertEquals(List.of(), missing, "snippet lines not found in the samples (copy them from a compiled sample)");
    }

    @Test
    void everyJavaSnippetShowsItsImportsOrLinksToItsSample() {
        List<String> incomplete = new ArrayList<>();
        for (Path file : MarkdownFiles.all()) {
            List<String> lines = MarkdownFiles.read(file).lines().toList();
            for (MarkdownFiles.Block block : MarkdownFiles.blocks(file)) {
                if (!block.language().equals("java") || block.text().contains("import ")) {
                    continue;
                }
                // The prose just around the block (6 lines before the fence, 4 after its end) links to the sample.
                int start = Math.max(0, block.line() - 7);
                int end = Math.min(lines.size(), block.line() + (int) block.text().lines().count() + 5);
                String around = String.join("\n", lines.subList(start, block.line() - 1)) + "\n"
                        + String.join("\n", lines.subList(Math.min(lines.size(), block.line() + (int) block.text().lines().count()), end));
                Matcher link = SAMPLE_LINK.matcher(around);
                boolean linked = false;
                while (link.find()) {
                    linked |= Files.isRegularFile(file.getParent().resolve(link.group(1)));
                }
                if (!linked) {
                    incomplete.add(block.toString());
                }
            }
        }
        assertEquals(List.of(), incomplete, "Java snippets without imports and without a link to their sample file");
    }

    @Test
    void everyHelperASnippetCallsIsDefinedOnItsPage() {
        List<String> undefined = new ArrayList<>();
        for (Path file : MarkdownFiles.all()) {
            Set<String> defined = new HashSet<>();
            for (MarkdownFiles.Block block : MarkdownFiles.blocks(file)) {
                if (!block.language().equals("java")) {
                    continue;
                }
                String code = withoutCommentsAndStrings(block.text());
                Matcher declaration = DECLARATION.matcher(code);
                while (declaration.find()) {
                    defined.add(declaration.group(1));
                }
                Matcher imported = STATIC_IMPORT.matcher(block.text());
                while (imported.find()) {
                    defined.add(imported.group(1));
                }
                Matcher call = BARE_CALL.matcher(code);
                while (call.find()) {
                    String name = call.group(1);
                    if (!KEYWORDS.contains(name) && !defined.contains(name)) {
                        undefined.add(block + ": " + name + "(…)");
                    }
                }
            }
        }
        assertEquals(List.of(), undefined, "helpers called in snippets but defined nowhere on the page");
    }

    @Test
    void propertiesBlocksNameOnlyBoundSettings() throws IOException {
        String bound = MarkdownFiles.read(MarkdownFiles.ROOT.resolve(
                "spring-boot-starter/src/main/java/io/leasehold/spring/LeaseholdProperties.java"));
        List<String> unknown = new ArrayList<>();
        for (Path file : MarkdownFiles.all()) {
            if (file.equals(MarkdownFiles.ROOT.resolve("docs/spring-boot.md"))) {
                continue; // the Spring developer's page, checked by the starter's own tests
            }
            for (MarkdownFiles.Block block : MarkdownFiles.blocks(file)) {
                if (block.language().matches("ya?ml")) {
                    unknown.add(block + ": YAML blocks are not checked yet; write the settings as properties");
                }
                if (!block.language().equals("properties")) {
                    continue;
                }
                Properties settings = new Properties();
                settings.load(new StringReader(block.text().replaceAll("(?m)\\s+#.*$", "")));
                for (String name : settings.stringPropertyNames()) {
                    String last = name.substring(name.lastIndexOf('.') + 1);
                    String camel = Pattern.compile("-(\\w)").matcher(last).replaceAll(m -> m.group(1).toUpperCase());
                    if (!name.startsWith("leasehold.") && !name.startsWith("management.")
                            || name.startsWith("leasehold.") && !bound.contains(camel)) {
                        unknown.add(block + ": " + name);
                    }
                }
            }
        }
        assertEquals(List.of(), unknown, "settings in properties blocks that the starter does not bind");
    }

    /** Code without comments and string or character literals, so their words are not read as calls. */
    private static String withoutCommentsAndStrings(String code) {
        return code.replaceAll("(?s)/\\*.*?\\*/", "")
                .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("'(\\\\.|[^'\\\\])'", "' '")
                .replaceAll("//[^\\n]*", "");
    }
}
