package dev.sluice.dashboard.internal;

import dev.sluice.dashboard.internal.ConsoleViews.Preview;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Turns stored payload and result bytes into a bounded preview for the job page. */
final class Previews {

    static final int MAX_TEXT_BYTES = 4096;
    static final int MAX_HEX_BYTES = 512;

    private Previews() {
    }

    /** Null for null bytes; UTF-8 text when they decode to printable text, else hex. */
    static Preview of(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        int length = Math.min(bytes.length, MAX_TEXT_BYTES);
        // A cut may split a multi-byte character: back off up to three bytes to a boundary.
        for (int cut = length; cut >= Math.max(0, length - 3); cut--) {
            String text = utf8(bytes, cut);
            if (text != null) {
                return printable(text)
                        ? new Preview(bytes.length, "utf-8", text, cut < bytes.length)
                        : hex(bytes);
            }
            if (cut == bytes.length) {
                break; // the whole payload is not UTF-8: a shorter cut would not help
            }
        }
        return hex(bytes);
    }

    private static Preview hex(byte[] bytes) {
        int length = Math.min(bytes.length, MAX_HEX_BYTES);
        String hex = HexFormat.ofDelimiter(" ").formatHex(bytes, 0, length);
        return new Preview(bytes.length, "hex", hex, length < bytes.length);
    }

    private static String utf8(byte[] bytes, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean printable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
        }
        return true;
    }
}
