package io.leasehold.test.history;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The escaping of the line-based history format: every token is one word with no spaces; bytes
 * outside a small safe set are written as {@code %XX} (UTF-8), and the empty string as a lone
 * {@code %}, which escaping never produces otherwise.
 */
final class LineCodec {
    private static final String SAFE = "-._~:/@+,;!*()";

    private LineCodec() {
    }

    static String escape(String text) {
        if (text.isEmpty()) {
            return "%";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || SAFE.indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    static String unescape(String token) {
        if (token.equals("%")) {
            return "";
        }
        if (token.indexOf('%') < 0) {
            return token;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '%') {
                if (i + 2 >= token.length()) {
                    throw new IllegalArgumentException("a '%' not followed by two hex digits in '" + token + "'");
                }
                int hi = Character.digit(token.charAt(i + 1), 16);
                int lo = Character.digit(token.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("a '%' not followed by two hex digits in '" + token + "'");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
