package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link between the project's Markdown files points at a file or directory that
 * exists inside the repository, and every {@code #anchor} at a heading of its target page
 * (GitHub's heading ids). Links into code blocks and inline code are not links.
 */
class MarkdownLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");

    @Test
    void relativeLinksAndAnchorsResolve() {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        int checked = 0;
        for (Path file : MarkdownFiles.all()) {
            String prose = MarkdownFiles.prose(file);
            Matcher link = LINK.matcher(prose);
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
                    continue; // https:, mailto: and other absolute URLs
                }
                checked++;
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                String where = MarkdownFiles.ROOT.relativize(file) + ": " + target;
                if (!resolved.startsWith(MarkdownFiles.ROOT) || !Files.exists(resolved)) {
                    broken.add(where + " (no such file)");
                } else if (anchor != null) {
                    if (!resolved.toString().endsWith(".md")) {
                        broken.add(where + " (an anchor into a file that is not Markdown)");
                    } else if (!anchors.computeIfAbsent(resolved, MarkdownLinksTest::headingIds).contains(anchor)) {
                        broken.add(where + " (no such heading)");
                    }
                }
            }
        }
        assertTrue(checked >= 50, "the docs link to each other: " + checked + " links");
        assertEquals(List.of(), broken, "broken relative links or anchors");
    }

    @Test
    void headingIdsFollowGitHub() {
        assertEquals("the-emulated-protocol-s3-tigris--ioleaseholdspiemulatedleases",
                id("The emulated protocol (S3, Tigris) — `io.leasehold.spi.EmulatedLeases`"));
        assertEquals("testing-your-own-code-leasehold-test", id("Testing your own code: `leasehold-test`"));
    }

    /** The ids GitHub gives a page's headings; a repeated heading gets -1, -2, … */
    private static Set<String> headingIds(Path file) {
        Set<String> ids = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        // From the raw text without fenced blocks: a heading's inline code is part of its id.
        Matcher heading = HEADING.matcher(blankFences(MarkdownFiles.read(file)));
        while (heading.find()) {
            String id = id(heading.group(1));
            int n = seen.merge(id, 1, Integer::sum) - 1;
            ids.add(n == 0 ? id : id + "-" + n);
        }
        return ids;
    }

    private static String blankFences(String text) {
        return text.replaceAll("(?ms)^```.*?^```", "");
    }

    /** GitHub's heading id: lower case, markup and punctuation dropped, spaces to hyphens. */
    static String id(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")   // a link keeps its text
                .replace("`", "")
                .toLowerCase(java.util.Locale.ROOT);
        return text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
