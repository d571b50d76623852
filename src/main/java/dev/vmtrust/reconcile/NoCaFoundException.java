package dev.vmtrust.reconcile;

import dev.vmtrust.source.CollectedSet;

/**
 * The sources yielded no CA: nothing is pushed (an empty set would strip every VM). Exit code 4. The message
 * says where the sources looked and the usual fixes for this OS ({@link CollectedSet.Looked}).
 */
public final class NoCaFoundException extends Exception {
    public NoCaFoundException(int rejected) {
        this(rejected, CollectedSet.Looked.nowhere());
    }

    public NoCaFoundException(int rejected, CollectedSet.Looked looked) {
        super("no CA found: the sources yielded no corporate CA"
                + (rejected > 0
                        ? " (" + rejected + " input" + (rejected == 1 ? " was" : "s were")
                                + " rejected; see `vmtrust list`)"
                        : "")
                + "; nothing was pushed. " + capital(looked.text()));
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
