package io.leasehold.cli;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses date options: an RFC 1123 HTTP date ({@code Tue, 15 Nov 1994 08:12:31 GMT}) or an
 * ISO-8601 instant ({@code 1994-11-15T08:12:31Z}, the form the CLI prints).
 *
 * <p>Thread-safety: stateless.
 */
public final class HttpDateConverter implements ITypeConverter<Instant> {
    /** Creates the converter (picocli instantiates it). */
    public HttpDateConverter() {
    }

    @Override
    public Instant convert(String value) {
        String s = value.trim();
        try {
            return ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException notRfc1123) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException notIso) {
                throw new TypeConversionException("'" + value
                        + "' is not a date; use RFC 1123 (Tue, 15 Nov 1994 08:12:31 GMT) or ISO-8601 (1994-11-15T08:12:31Z)");
            }
        }
    }
}
