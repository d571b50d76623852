/**
 * The agent ({@code vmtrust run}): it owns the loop and everything that decides when a reconcile runs.
 * {@link dev.vmtrust.agent.AgentRunner} builds one generation per loaded config and reloads it when the config
 * file changes (the round that notices the edit already uses the new config); {@link dev.vmtrust.agent.Agent}
 * watches the folders of {@link dev.vmtrust.agent.WatchPlan} ({@link dev.vmtrust.agent.FolderWatcher}),
 * keeps what matters ({@link dev.vmtrust.agent.EventFilter}) and asks one
 * {@link dev.vmtrust.agent.ReconcileLoop} for rounds; {@link dev.vmtrust.agent.LoopState} coalesces requests,
 * keeps the per-target backoff and the targets still in flight (the only place that tracks them between
 * rounds); {@link dev.vmtrust.agent.AgentRound} runs one round through {@link dev.vmtrust.reconcile.Reconcile}
 * and announces transitions. {@link dev.vmtrust.agent.LateTrust} adds macOS's re-reads after keychain events.
 *
 * <p>It never touches a VM or a file itself: every change goes through the reconcile flow.
 *
 * <p>May import: config, notify, platform, reconcile, source, trust, vm.
 */
package dev.vmtrust.agent;
