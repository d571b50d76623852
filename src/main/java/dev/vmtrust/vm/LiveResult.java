package dev.vmtrust.vm;

import java.util.List;

/**
 * What the live part of one reconcile did to one VM: one case per outcome, each with only the facts it has.
 * {@link dev.vmtrust.reconcile.TargetReport#of} folds it, with the persisted part, into the report's flat shape.
 */
public sealed interface LiveResult {
    LiveStatus status();

    default VmState state() {
        return VmState.RUNNING;
    }

    /** CAs added or repaired. */
    default int added() {
        return 0;
    }

    default int removed() {
        return 0;
    }

    default List<String> restarted() {
        return List.of();
    }

    /** Engines still running with the old roots. */
    default List<String> pendingRestart() {
        return List.of();
    }

    default int containersRunning() {
        return 0;
    }

    default String error() {
        return null;
    }

    /** The next step for the user, or null. */
    default String hint() {
        return null;
    }

    /** The VM's trust store and stamp already matched the set and no restart was due; {@code hint} may be null. */
    record Unchanged(String hint) implements LiveResult {
        public Unchanged() {
            this(null);
        }

        @Override
        public LiveStatus status() {
            return LiveStatus.UNCHANGED;
        }
    }

    /**
     * The trust store or the containers set-up changed (or CAs were removed), and every engine that needed it was
     * restarted; {@code hint} may be null.
     */
    record Updated(int added, int removed, List<String> restarted, String hint) implements LiveResult {
        public Updated {
            restarted = List.copyOf(restarted);
        }

        public Updated(int added, int removed, List<String> restarted) {
            this(added, removed, restarted, null);
        }

        @Override
        public LiveStatus status() {
            return LiveStatus.UPDATED;
        }
    }

    /**
     * The store is current but {@code pendingRestart} keep the old roots: {@code recorded} when the VM recorded them
     * in /etc/vmtrust/restart-pending (a later sync restarts them once idle); not recorded under restart: never or
     * for engines no init manages, where only the user can restart them ({@code hint} says how).
     */
    record PendingRestart(
            int added,
            int removed,
            List<String> restarted,
            List<String> pendingRestart,
            int containersRunning,
            boolean recorded,
            String hint)
            implements LiveResult {
        public PendingRestart {
            restarted = List.copyOf(restarted);
            pendingRestart = List.copyOf(pendingRestart);
        }

        @Override
        public LiveStatus status() {
            return LiveStatus.PENDING_RESTART;
        }
    }

    /** Dry run: what an apply would change. */
    record WouldUpdate(int added, int removed, List<String> pendingRestart) implements LiveResult {
        public WouldUpdate {
            pendingRestart = List.copyOf(pendingRestart);
        }

        @Override
        public LiveStatus status() {
            return LiveStatus.WOULD_UPDATE;
        }
    }

    /** The VM is not running: nothing live to do (its provision entry covers the next boot). */
    record Stopped() implements LiveResult {
        @Override
        public LiveStatus status() {
            return LiveStatus.SKIPPED;
        }

        @Override
        public VmState state() {
            return VmState.STOPPED;
        }
    }

    /** {@code state}: UNREACHABLE when SSH did not answer, RUNNING when the VM answered and something failed in it. */
    record Failed(VmState state, String error, String hint) implements LiveResult {
        @Override
        public LiveStatus status() {
            return LiveStatus.FAILED;
        }
    }
}
