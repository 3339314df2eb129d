package io.leasehold.tck.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Message framing: chunked bodies keep their wire form (extensions, trailers) and yield their content. */
class HttpIoTest {
    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void chunkedBodyKeepsExtensionsAndTrailersOnTheWireAndDecodesTheContent() throws IOException {
        String wire = "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32: AAAAAA==\r\n\r\n";
        InputStream in = in(wire + "NEXT");
        HttpIo.Body body = HttpIo.readChunked(in);
        assertArrayEquals("hello world".getBytes(StandardCharsets.ISO_8859_1), body.content());
        assertEquals(wire, new String(body.raw(), StandardCharsets.ISO_8859_1));
        assertEquals("NEXT", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1), "stops at the end of the body");
    }

    @Test
    void truncatedBodiesAreErrors() {
        assertThrows(EOFException.class, () -> HttpIo.readChunked(in("5\r\nhel")));
        assertThrows(EOFException.class, () -> HttpIo.readFixed(in("abc"), 4));
        assertThrows(IOException.class, () -> HttpIo.readChunked(in("zz\r\n")));
    }

    @Test
    void headersAreReadUpToTheEmptyLine() throws IOException {
        InputStream in = in("Content-Length: 3\r\nConnection: keep-alive, close\r\n\r\nabc");
        var headers = HttpIo.readHeaders(in);
        assertEquals(3, HttpIo.contentLength(headers));
        assertEquals(true, HttpIo.hasToken(headers, "connection", "close"));
    }
}
