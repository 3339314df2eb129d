package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ETagTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc123", "\"abc123\"", " \"abc123\" ", "abc123 "})
    void quotedAndUnquotedFormsNormaliseToTheSameStrongTag(String raw) {
        ETag tag = ETag.parse(raw);
        assertEquals("abc123", tag.value());
        assertFalse(tag.isWeak());
        assertFalse(tag.isAny());
        assertEquals("\"abc123\"", tag.quoted());
        assertEquals(ETag.parse("\"abc123\""), tag);
        assertEquals(ETag.parse("\"abc123\"").hashCode(), tag.hashCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"W/\"abc\"", "w/\"abc\""})
    void weakFormIsRecognised(String raw) {
        ETag tag = ETag.parse(raw);
        assertTrue(tag.isWeak());
        assertEquals("abc", tag.value());
        assertEquals("W/\"abc\"", tag.quoted());
        assertNotEquals(ETag.parse("abc"), tag);
    }

    @Test
    void starIsAny() {
        assertSame(ETag.ANY, ETag.parse("*"));
        assertSame(ETag.ANY, ETag.parse(" * "));
        assertEquals("*", ETag.ANY.quoted());
        assertTrue(ETag.ANY.isAny());
        // A quoted star is an ordinary opaque tag, not the wildcard.
        assertFalse(ETag.parse("\"*\"").isAny());
    }

    @Test
    void strongMatchNeedsTwoStrongEqualTags() {
        ETag strong = ETag.parse("\"v1\"");
        assertTrue(strong.strongMatch(ETag.parse("v1")));
        assertFalse(strong.strongMatch(ETag.parse("v2")));
        assertFalse(strong.strongMatch(ETag.parse("W/\"v1\"")));
        assertFalse(ETag.parse("W/\"v1\"").strongMatch(strong));
        assertFalse(ETag.parse("W/\"v1\"").strongMatch(ETag.parse("W/\"v1\"")));
        assertFalse(strong.strongMatch(null));
    }

    @Test
    void weakMatchIgnoresWeakness() {
        ETag strong = ETag.parse("v1");
        ETag weak = ETag.parse("W/\"v1\"");
        assertTrue(strong.weakMatch(weak));
        assertTrue(weak.weakMatch(strong));
        assertTrue(weak.weakMatch(weak));
        assertFalse(weak.weakMatch(ETag.parse("v2")));
        assertFalse(weak.weakMatch(null));
    }

    @Test
    void anyMatchesEveryExistingObjectAndNothingAbsent() {
        assertTrue(ETag.ANY.strongMatch(ETag.parse("x")));
        assertTrue(ETag.ANY.weakMatch(ETag.parse("W/\"x\"")));
        assertFalse(ETag.ANY.strongMatch(null));
        assertFalse(ETag.ANY.weakMatch(null));
    }

    @Test
    void strongFactoryDropsWeakness() {
        ETag tag = ETag.strong("W/\"abc\"");
        assertFalse(tag.isWeak());
        assertEquals("abc", tag.value());
        assertEquals(ETag.parse("abc"), ETag.strong("abc"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a\"b",            // quote inside
        "\"abc",           // opening quote only
        "abc\"",           // closing quote only
        "\"a\"b\"",        // quote inside a quoted tag
        "W/abc",           // weak must be quoted
        "W/\"\"",          // empty weak
        "\"\"",            // empty
        "",                // empty
        "   ",             // blank
        "a b",             // space inside
        "ab\r\nX-Injected: 1", // header injection
        "abc\r\n",         // trailing CR/LF
        "\r\nabc",         // leading CR/LF
        "abc\n",           // trailing LF
        "\"abc\"\r",       // CR after a quoted tag
        "a\u0000b",        // NUL
        "a\u007fb"         // DEL
    })
    void malformedTagsAreInvalidArgumentsNamingTheField(String raw) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> ETag.parse("ifMatch", raw));
        assertEquals("ifMatch", e.field());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("ifMatch:"), e.getMessage());
    }

    @Test
    void nullIsAnInvalidArgument() {
        assertEquals("etag", assertThrows(InvalidArgumentException.class, () -> ETag.parse(null)).field());
    }

    @Test
    void objectVersionNormalisesAndComparesByTag() {
        ObjectVersion a = ObjectVersion.of("\"v1\"");
        ObjectVersion b = ObjectVersion.of("v1");
        ObjectVersion weak = ObjectVersion.of("W/\"v1\"");
        assertEquals(a, b);
        assertTrue(a.sameAs(b));
        assertTrue(a.sameAs(weak));
        assertFalse(a.sameAs(ObjectVersion.of("v2")));
        assertFalse(a.sameAs(null));
        assertEquals("\"v1\"", a.toString());
        assertEquals("\"v1\"@ver-7", ObjectVersion.of(ETag.parse("v1"), "ver-7").toString());
        assertTrue(ObjectVersion.of(ETag.parse("v1"), "").versionId().isEmpty());
        assertEquals("etag", assertThrows(InvalidArgumentException.class, () -> ObjectVersion.of(ETag.ANY, null)).field());
        assertEquals("etag", assertThrows(InvalidArgumentException.class, () -> ObjectVersion.of((ETag) null, null)).field());
        assertEquals("etag", assertThrows(InvalidArgumentException.class, () -> ObjectVersion.of("a\"b")).field());
    }

    @Test
    void optionBuildersParseWithTheirFieldName() {
        assertEquals("ifMatch", assertThrows(InvalidArgumentException.class,
                () -> GetOptions.builder().ifMatch("x\ny")).field());
        assertEquals("ifNoneMatch", assertThrows(InvalidArgumentException.class,
                () -> GetOptions.builder().ifNoneMatch("x\"y")).field());
        assertEquals("ifMatch", assertThrows(InvalidArgumentException.class,
                () -> DeleteOptions.builder().ifMatch("\"x")).field());
        assertTrue(GetOptions.builder().ifMatch("W/\"v9\"").build().ifMatch().orElseThrow().isWeak());
    }
}
