package dev.sluice.batch;

/** What a run needs from where it runs: standalone or inside a job. Called on the coordinating thread. */
interface RunHooks {

    /** The checkpoint to resume from, or null to start at the beginning. */
    byte[] resumeCheckpoint();

    /** Makes a checkpoint durable before the batch it covers counts as committed; throws when it cannot. */
    void saveCheckpoint(byte[] checkpoint);

    /** True when the run should stop (cancelled; for a job also lease lost or timed out). */
    boolean stopRequested();

    /** Throttled progress, also passed to the config's listener. */
    void progress(BatchProgress progress);

    /** Hooks of a standalone run: no checkpoints are kept. */
    static RunHooks standalone(java.util.function.BooleanSupplier cancelled,
                               java.util.function.Consumer<BatchProgress> onProgress) {
        return new RunHooks() {
            @Override
            public byte[] resumeCheckpoint() {
                return null;
            }

            @Override
            public void saveCheckpoint(byte[] checkpoint) {
            }

            @Override
            public boolean stopRequested() {
                return cancelled.getAsBoolean();
            }

            @Override
            public void progress(BatchProgress progress) {
                onProgress.accept(progress);
            }
        };
    }
}
