package dev.sluice.fault.harness;

import dev.sluice.fault.node.FaultNode;
import dev.sluice.fault.node.NodeOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One node JVM ({@link FaultNode}) started with ProcessBuilder on this JVM's class path, with a small heap, its
 * output copied to a log file. The scenario sends it signals: SIGKILL, SIGSTOP / SIGCONT, SIGTERM.
 */
public final class NodeProcess implements AutoCloseable {

    private final String nodeId;
    private final Process process;
    private final Path log;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch frozeItself = new CountDownLatch(1);
    private volatile String haltLine;
    private volatile String frozeLine;

    private NodeProcess(String nodeId, Process process, Path log) {
        this.nodeId = nodeId;
        this.process = process;
        this.log = log;
        Thread copier = new Thread(this::copyOutput, "node-output-" + nodeId);
        copier.setDaemon(true);
        copier.start();
    }

    /**
     * Starts a node JVM.
     *
     * @param heap        the -Xmx value, e.g. "256m"
     * @param fastStartup true for scenario nodes (C1 only: starts faster, costs peak speed)
     */
    public static NodeProcess start(NodeOptions options, Path logDir, String heap, boolean fastStartup) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add("-XX:+ExitOnOutOfMemoryError");
        if (fastStartup) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
        command.addAll(options.jvmArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FaultNode.class.getName());
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(options.nodeId() + ".log");
            // the command line, to run the node again by hand
            Files.write(logDir.resolve(options.nodeId() + ".cmd"), List.of(String.join(" ", command)));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new NodeProcess(options.nodeId(), process, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start node " + options.nodeId() + ": " + e.getMessage(), e);
        }
    }

    private void copyOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                if (line.startsWith(FaultNode.READY_MARKER)) {
                    ready.countDown();
                } else if (line.startsWith(FaultNode.HALTED_MARKER)) {
                    haltLine = line;
                } else if (line.startsWith(FaultNode.FROZE_MARKER)) {
                    frozeLine = line;
                    frozeItself.countDown();
                }
            }
            out.println("[harness] node " + nodeId + " exited with status " + process.waitFor());
        } catch (IOException e) {
            // the process is gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the node's engine runs. */
    public NodeProcess awaitReady(Duration timeout) {
        try {
            if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("node " + nodeId + " was not ready within " + timeout
                        + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")") + "; see " + log);
            }
            return this;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for node " + nodeId, e);
        }
    }

    public String nodeId() {
        return nodeId;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the node printed just before it halted itself (crash point, poison job), or null. */
    public String haltLine() {
        return haltLine;
    }

    /** When the node halted itself (host millis), or 0. */
    public long haltAtMillis() {
        return timeOf(haltLine);
    }

    /**
     * Waits until the node stopped its own JVM inside a store transaction (node option freezeInTransaction).
     *
     * @return when it did (host millis)
     */
    public long awaitFrozeItself(Duration timeout) {
        try {
            if (!frozeItself.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("node " + nodeId + " did not freeze itself within " + timeout
                        + "; see " + log);
            }
            return timeOf(frozeLine);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for node " + nodeId, e);
        }
    }

    /** The time in a marker line "MARKER at=millis ...", or 0. */
    private static long timeOf(String line) {
        if (line == null) {
            return 0;
        }
        String[] words = line.split(" ");
        return words.length > 1 && words[1].startsWith("at=") ? Long.parseLong(words[1].substring(3)) : 0;
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() {
        signal("KILL");
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGSTOP: the JVM freezes, every thread of it (no renewals, no completions). */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT. */
    public void thaw() {
        signal("CONT");
    }

    /** SIGTERM: the node's shutdown hook closes its engine gracefully (drain). */
    public void terminate() {
        signal("TERM");
    }

    /** Waits for the process to end and returns its exit status. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("node " + nodeId + " did not exit within " + timeout + "; see " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for node " + nodeId, e);
        }
    }

    // Signals go through kill(1): Process.destroy() would also close the output pipe, and with it the last lines
    // the node writes while it stops.
    private void signal(String name) {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            // a node that exited meanwhile is no failure: the signal had nothing left to do
            if ((!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) && process.isAlive()) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + name + " to node " + nodeId, e);
        }
    }

    /** Kills the node if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return "node " + nodeId + " (pid " + process.pid() + ")";
    }
}
