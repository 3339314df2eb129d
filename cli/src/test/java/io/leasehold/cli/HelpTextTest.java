package io.leasehold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command's {@code --help}, as a user sees it: no line wider than the usage width, no text
 * cut off, and lines broken only between words (never inside a store URI such as
 * {@code tigris://BUCKET}, a path or an abbreviation). Each subcommand's summary in its parent's
 * command list is one complete sentence, shown whole.
 */
class HelpTextTest {
    private static final int WIDTH = 80;

    /** The path of every command below the root, e.g. {@code [lease, acquire]}, and the root itself ({@code []}). */
    static Stream<List<String>> commands() {
        List<List<String>> paths = new ArrayList<>();
        walk(root(), new ArrayList<>(), paths, new IdentityHashMap<>());
        return paths.stream();
    }

    static Stream<List<String>> subcommands() {
        return commands().filter(path -> !path.isEmpty());
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> paths, Map<CommandLine, Boolean> seen) {
        if (seen.put(cl, true) != null) {
            return; // an alias of a command already listed
        }
        paths.add(List.copyOf(path));
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            List<String> next = new ArrayList<>(path);
            next.add(sub.getKey());
            walk(sub.getValue(), next, paths, seen);
        }
    }

    private static CommandLine root() {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        return LeaseholdCli.commandLine(new ByteArrayInputStream(new byte[0]), nowhere, nowhere);
    }

    private static CommandSpec spec(List<String> path) {
        CommandLine cl = root();
        for (String name : path) {
            cl = cl.getSubcommands().get(name);
        }
        return cl.getCommandSpec();
    }

    private static String help(List<String> path) {
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("", run.stderr());
        return run.stdout();
    }

    /**
     * The text as one line: lines trimmed and joined with single spaces, as a reader reads wrapped
     * text (picocli shows {@code %n} as a line break).
     */
    private static String flowed(String text) {
        return String.join(" ", text.replace("%n", "\n").lines().map(String::strip).toList())
                .replaceAll("\\s+", " ").strip();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void everyTextIsShownWholeAndWrappedOnlyBetweenWords(List<String> path) {
        String help = help(path);
        for (String line : help.lines().toList()) {
            assertTrue(line.length() <= WIDTH, "wider than " + WIDTH + ": '" + line + "'");
            assertFalse(line.strip().startsWith("//"), "a URI broken after its scheme: '" + line + "'");
        }
        String shown = flowed(help);
        CommandSpec spec = spec(path);
        List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
        for (ArgSpec arg : spec.args()) {
            if (!arg.hidden()) {
                texts.addAll(List.of(arg.description()));
            }
        }
        texts.addAll(List.of(spec.usageMessage().header()));
        texts.addAll(List.of(spec.usageMessage().footer()));
        for (String text : texts) {
            String whole = flowed(text);
            assertTrue(shown.contains(whole), "shown whole and broken only between words: '" + whole + "' in\n" + help);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subcommands")
    void theSummaryIsOneCompleteSentenceShownWholeInTheParentsList(List<String> path) {
        // picocli lists a command by its header if it has one (its built-in help command does), else
        // by the first line of its description.
        CommandSpec spec = spec(path);
        String[] header = spec.usageMessage().header();
        String summary = header.length > 0 ? header[0] : spec.usageMessage().description()[0];
        assertTrue(summary.endsWith("."), "ends as a sentence: " + summary);
        assertFalse(summary.replace("e.g.", "eg").matches(".*[.!?]\\s+\\S.*"), "one sentence: " + summary);
        String parentHelp = help(path.subList(0, path.size() - 1));
        String shown = flowed(parentHelp);
        assertTrue(shown.contains(path.get(path.size() - 1) + " " + flowed(summary)),
                "the parent lists '" + summary + "' whole:\n" + parentHelp);
    }
}
