package dev.sluice.internal.codec;

import dev.sluice.PayloadCodec;

/** Finds Jackson at run time, so that core works without it (it is an optional dependency). */
final class JacksonSupport {

    private JacksonSupport() {
    }

    static PayloadCodec codecIfPresent() {
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false,
                    JacksonSupport.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        return new JacksonPayloadCodec();
    }
}
