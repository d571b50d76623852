/**
 * The one reconcile flow ({@link dev.vmtrust.reconcile.Reconcile}) shared by {@code sync}, the agent's rounds
 * and {@code uninstall --purge}: collect the desired set, discover targets, take the host lock
 * ({@link dev.vmtrust.reconcile.HostLock}), run every target in parallel (bounded), write the state folder
 * ({@link dev.vmtrust.reconcile.StateStore}). Its result is a {@link dev.vmtrust.reconcile.Report} of one
 * {@link dev.vmtrust.reconcile.TargetReport} per target, DESIGN's JSON shape.
 *
 * <p>May import: config, json, platform, source, ssh, trust, vm.
 */
package dev.vmtrust.reconcile;
