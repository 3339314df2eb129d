package io.leasehold.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ListPage;
import io.leasehold.core.ObjectStore;
import io.leasehold.spi.kit.ListPages;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ls [PREFIX] [--delimiter D]}: lists keys as JSON lines, page by page. */
@Command(name = "ls", description = {
    "List the objects whose keys start with PREFIX, one JSON line each.",
    "Fields: key, etag, size, lastModified; in ascending key order, read page by page as printed.",
    "With --delimiter, keys whose rest after PREFIX contains it are shown once as {\"prefix\": ...},"
        + " like a directory.",
    "The library's own records (keys under .leasehold/) are never listed."})
final class ListCommand extends StoreCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", description = "The key prefix (default: every key).")
    private String prefix = "";

    @Option(names = "--delimiter", paramLabel = "D", description = "Roll keys up at this string, e.g. '/'.")
    private String delimiter;

    @Option(names = "--page-size", paramLabel = "N",
            description = "Entries per request, 1 to 1000 (default 1000).")
    private Integer pageSize;

    @Override
    public Integer call() {
        ListOptions.Builder options = ListOptions.builder().delimiter(delimiter);
        if (pageSize != null) {
            options.pageSize(pageSize);
        }
        try (ObjectStore store = openStore()) {
            String token = null;
            do {
                ListPage page = store.listPage(prefix, options.continuationToken(token).build());
                for (ObjectNode line : lines(page)) {
                    out().println(Json.line(line));
                }
                out().flush();
                token = page.continuationToken().orElse(null);
            } while (token != null);
        }
        return ExitCodes.OK;
    }

    /** A page's objects and prefixes as lines, together in key order. */
    private static List<ObjectNode> lines(ListPage page) {
        List<String> order = new ArrayList<>();
        page.objects().forEach(o -> order.add(o.key()));
        order.addAll(page.commonPrefixes());
        order.sort(ListPages.KEY_ORDER);
        List<ObjectNode> lines = new ArrayList<>(order.size());
        int o = 0;
        for (String name : order) {
            if (o < page.objects().size() && page.objects().get(o).key().equals(name)) {
                lines.add(Json.listed(page.objects().get(o++)));
            } else {
                ObjectNode line = Json.object();
                line.put("prefix", name);
                lines.add(line);
            }
        }
        return lines;
    }
}
