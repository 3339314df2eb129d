package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster {@link CephRgw} starts cannot slip away from its launcher: monitor, OSD and gateway run
 * in the foreground in the script's process group, so stopping that group (what the launcher, its
 * shutdown hook and its watchdog do) stops all of them. Daemonized, each would sit in a session of its
 * own, which is how a cluster outlived the Spring sample's test run.
 */
@EnabledOnOs(OS.LINUX)
@ExtendWith(CephRgw.class)
class CephRgwProcessesTest {

    @Test
    void everyDaemonOfTheClusterIsInTheLaunchersProcessGroup(CephRgw rgw) throws IOException {
        Assumptions.assumeTrue(rgw.clusterGroup() > 0, "an external gateway (LEASEHOLD_RGW_ENDPOINT): not ours to check");
        Map<String, Long> groups = new TreeMap<>();
        for (ProcessHandle h : rgw.clusterProcesses()) {
            String name = h.info().command().map(c -> Paths.get(c).getFileName().toString()).orElse("?");
            groups.put(name, processGroup(h.pid()));
        }
        for (String daemon : List.of("ceph-mon", "ceph-osd", "radosgw")) {
            assertTrue(groups.containsKey(daemon), daemon + " not among the cluster's processes: " + groups);
            assertEquals(rgw.clusterGroup(), groups.get(daemon), daemon + " left the group: " + groups);
        }
    }

    private static long processGroup(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
    }
}
