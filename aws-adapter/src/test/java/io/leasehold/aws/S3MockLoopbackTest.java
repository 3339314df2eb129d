package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Servers listen on 127.0.0.1 only: every TCP socket the S3Mock process listens on (found through
 * /proc, so connectors nobody configured are seen too) must be bound to 127.0.0.1.
 */
@ExtendWith(S3MockServer.class)
@EnabledOnOs(OS.LINUX)
class S3MockLoopbackTest {
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");
    private static final String TCP_LISTEN = "0A";

    @Test
    void everyListeningSocketOfS3MockIsOnLoopback(S3MockServer server) throws IOException {
        List<InetSocketAddress> listening = listeningSockets(server.pid());

        assertFalse(listening.isEmpty(), "no listening socket found for S3Mock pid " + server.pid());
        assertTrue(listening.stream().anyMatch(a -> a.getPort() == server.endpoint().getPort()),
                "main connector port " + server.endpoint().getPort() + " not among " + listening);
        for (InetSocketAddress a : listening) {
            assertEquals("127.0.0.1", a.getAddress().getHostAddress(), "S3Mock listens on " + a + "; all: " + listening);
        }
    }

    /** TCP sockets in LISTEN state whose inode is one of the process's file descriptors. */
    private static List<InetSocketAddress> listeningSockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Paths.get("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    Matcher m = SOCKET_LINK.matcher(Files.readSymbolicLink(fd).toString());
                    if (m.matches()) {
                        inodes.add(m.group(1));
                    }
                } catch (IOException e) {
                    // descriptor closed while listing
                }
            }
        }
        List<InetSocketAddress> result = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Paths.get(table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] f = line.trim().split("\\s+");
                if (f[3].equals(TCP_LISTEN) && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    result.add(new InetSocketAddress(address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return result;
    }

    /**
     * The kernel prints the address as 32-bit words in host byte order. An IPv4-mapped IPv6 address
     * (::ffff:127.0.0.1) comes back from {@link InetAddress#getByAddress(byte[])} as IPv4.
     */
    private static InetAddress address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int src = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 3 - i : i;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring((word * 4 + src) * 2, (word * 4 + src) * 2 + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
