/**
 * Observing the engine: Micrometer meters (listed in the README), the {@link dev.sluice.observe.HealthReport}
 * with its 0–100 score, {@link dev.sluice.observe.Alert}s with recommendations told to
 * {@link dev.sluice.observe.AlertListener}s, and the {@link dev.sluice.observe.ScalingAdvisor}. Configured by
 * {@link dev.sluice.observe.ObservabilityConfig}; the machinery lives in {@code dev.sluice.internal.observe}.
 */
package dev.sluice.observe;
