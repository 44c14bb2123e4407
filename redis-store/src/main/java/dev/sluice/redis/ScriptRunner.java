package dev.sluice.redis;

import dev.sluice.SluiceException;
import dev.sluice.StoreCapacityExceededException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the store's scripts by EVALSHA: each is sent once with SCRIPT LOAD and sent again only when Redis answers
 * NOSCRIPT (a restart, a failover, SCRIPT FLUSH). Every script gets the runner's key base as its only KEYS entry.
 * On a Cluster, EVALSHA goes to the master of that key's slot and SCRIPT LOAD to every node, so a NOSCRIPT from
 * one node (restarted, or a new master after a failover) is answered by loading everywhere and sending again.
 * Thread-safe: the Lettuce connection multiplexes callers, and a reload races harmlessly (same digest).
 */
final class ScriptRunner {

    private static final String COMMON = "common.lua";
    /** Marks the errors a script raises on purpose for bad input (see enqueue.lua). */
    private static final String INVALID = "SLUICE_INVALID ";

    private final RedisLink link;
    private final byte[][] keys;
    private final Map<Script, byte[]> sources;
    private final Map<Script, String> digests;

    ScriptRunner(RedisLink link, String keyBase) {
        this.link = link;
        this.keys = keys(keyBase);
        this.sources = new EnumMap<>(Script.class);
        this.digests = new EnumMap<>(Script.class);
        String common = resource(COMMON);
        for (Script script : Script.values()) {
            sources.put(script, assemble(script, common).getBytes(StandardCharsets.UTF_8));
        }
        for (Script script : Script.values()) {
            load(script);
        }
    }

    private ScriptRunner(ScriptRunner loaded, String keyBase) {
        this.link = loaded.link;
        this.keys = keys(keyBase);
        this.sources = loaded.sources;
        this.digests = loaded.digests;
    }

    /** The same loaded scripts, run with another key base (a slot group of a Cluster store). */
    ScriptRunner withKeyBase(String keyBase) {
        return new ScriptRunner(this, keyBase);
    }

    private static byte[][] keys(String keyBase) {
        return new byte[][] {keyBase.getBytes(StandardCharsets.UTF_8)};
    }

    /** Runs a script and returns its reply: a List for arrays, a Long for integers, byte[] for strings. */
    Object run(Script script, byte[]... args) {
        try {
            try {
                return evalsha(script, args);
            } catch (RedisNoScriptException e) {
                load(script);
                return evalsha(script, args);
            }
        } catch (RedisCommandExecutionException e) {
            throw translate(script, e);
        }
    }

    /** Runs a script that replies with one integer or string (the MULTI output type wraps it in a list). */
    Object runScalar(Script script, byte[]... args) {
        Object reply = run(script, args);
        return reply instanceof List && ((List<?>) reply).size() == 1 ? ((List<?>) reply).get(0) : reply;
    }

    @SuppressWarnings("unchecked")
    List<Object> runList(Script script, byte[]... args) {
        return (List<Object>) run(script, args);
    }

    private String digest(Script script) {
        synchronized (digests) {
            return digests.get(script);
        }
    }

    private Object evalsha(Script script, byte[]... args) {
        return link.sync().evalsha(digest(script), ScriptOutputType.MULTI, keys, args);
    }

    private void load(Script script) {
        String digest = link.sync().scriptLoad(sources.get(script));
        synchronized (digests) {
            digests.put(script, digest);
        }
    }

    private static RuntimeException translate(Script script, RedisCommandExecutionException e) {
        String message = String.valueOf(e.getMessage());
        int marker = message.indexOf(INVALID);
        if (marker >= 0) {
            String text = message.substring(marker + INVALID.length());
            int end = text.indexOf(" script: ");
            return new IllegalArgumentException(end > 0 ? text.substring(0, end) : text, e);
        }
        if (message.startsWith("OOM")) {
            StoreCapacityExceededException full = new StoreCapacityExceededException("Redis refused the "
                    + script.name().toLowerCase() + " script before any write: used memory is above 'maxmemory' ("
                    + message + "); nothing was stored. Raise maxmemory, or let workers drain the queues and "
                    + "purge finished jobs (claims, completions and purges still run when memory is full)");
            full.initCause(e);
            return full;
        }
        return new SluiceException("Redis script " + script.resource + " failed: " + message, e);
    }

    /** The script's text with common.lua inserted after its "#!lua" line (which must stay first). */
    private static String assemble(Script script, String common) {
        String text = resource(script.resource);
        int firstLineEnd = text.indexOf('\n');
        if (!text.startsWith("#!lua") || firstLineEnd < 0) {
            throw new IllegalStateException(script.resource + " must start with a '#!lua flags=...' line");
        }
        return text.substring(0, firstLineEnd + 1) + common + text.substring(firstLineEnd + 1);
    }

    private static String resource(String name) {
        try (InputStream in = ScriptRunner.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource dev/sluice/redis/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read script resource dev/sluice/redis/" + name, e);
        }
    }
}
