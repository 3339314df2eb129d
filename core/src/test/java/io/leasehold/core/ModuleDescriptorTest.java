package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The module exports the user API, the SPI and its kit, and the embedded drivers — never an implementation package. */
class ModuleDescriptorTest {

    @Test
    void onlyTheApiAndTheSpiAreExported() throws IOException {
        ModuleDescriptor module;
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        assertEquals("io.leasehold.core", module.name());
        Set<String> exported = module.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of("io.leasehold.core", "io.leasehold.core.lease", "io.leasehold.core.transfer",
                "io.leasehold.core.probe", "io.leasehold.core.typed", "io.leasehold.spi", "io.leasehold.spi.kit", "io.leasehold.driver.memory",
                "io.leasehold.driver.file")), exported);
        // One qualified export: the TCK's lease safety workload reads when an acquire was sent.
        Set<String> qualified = module.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                .map(e -> e.source() + " to " + e.targets()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("io.leasehold.core.internal.lease to [io.leasehold.tck]"), qualified);
        Set<String> all;
        try (Stream<Path> walk = Files.walk(Path.of("target", "classes", "io"))) {
            all = walk.filter(Files::isDirectory).map(p -> Path.of("target", "classes").relativize(p).toString()
                    .replace('/', '.')).collect(Collectors.toCollection(TreeSet::new));
        }
        for (String pkg : all) {
            if (pkg.contains(".internal")) {
                assertTrue(!exported.contains(pkg), pkg + " is an implementation package and must not be exported");
            }
        }
        assertTrue(module.provides().stream().anyMatch(p -> p.service().equals("io.leasehold.spi.StoreDriverProvider")
                && p.providers().size() == 2), "mem:// and file:// are served on the module path too");
    }
}
