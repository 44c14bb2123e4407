package dev.sluice.redis;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every script must declare, read from the resources: its flags line (memory and read-only policy, see
 * {@link Script}), and keys only through KEYS[1], the store's base, from which common.lua builds every key name.
 * That no built key leaves the base's hash slot is shown by {@link ClusterSlotContractTest}.
 */
class ScriptAuditTest {

    /** The scripts that add caller data: refused before any write when memory is full. */
    private static final Set<Script> REFUSED_WHEN_FULL = EnumSet.of(Script.ENQUEUE, Script.PROGRESS, Script.HISTORY);
    private static final Set<Script> READ_ONLY = EnumSet.of(Script.STATS, Script.LIST, Script.LEADER, Script.NODES);
    private static final Pattern KEYS_USE = Pattern.compile("KEYS\\[(\\d+)]");

    private static String source(String resource) throws IOException {
        try (InputStream in = Script.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void eachScriptDeclaresTheFlagsOfItsKind() throws IOException {
        for (Script script : Script.values()) {
            String firstLine = source(script.resource).lines().findFirst().orElse("");
            String expected = READ_ONLY.contains(script) ? "#!lua flags=no-writes"
                    : REFUSED_WHEN_FULL.contains(script) ? "#!lua flags=" : "#!lua flags=allow-oom";
            assertThat(firstLine).as(script.resource).isEqualTo(expected);
        }
    }

    @Test
    void noScriptReadsAKeyButTheDeclaredBase() throws IOException {
        for (Script script : Script.values()) {
            assertThat(source(script.resource)).as(script.resource).doesNotContain("KEYS[");
        }
        StringBuilder code = new StringBuilder();
        source("common.lua").lines().filter(line -> !line.trim().startsWith("--"))
                .forEach(line -> code.append(line).append('\n'));
        Matcher uses = KEYS_USE.matcher(code);
        int count = 0;
        while (uses.find()) {
            assertThat(uses.group(1)).isEqualTo("1");
            count++;
        }
        assertThat(count).as("uses of KEYS in common.lua's code").isEqualTo(1);
    }
}
