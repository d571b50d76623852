package dev.vmtrust.reconcile;

/** The sources yielded no CA: nothing is pushed (an empty set would strip every VM). Exit code 4. */
public final class NoCaFoundException extends Exception {
    public NoCaFoundException(int rejected) {
        super("no CA found: the sources yielded no corporate CA" + (rejected > 0
                ? " (" + rejected + " input" + (rejected == 1 ? " was" : "s were") + " rejected; see `vmtrust list`)"
                : "") + "; nothing was pushed. Point sources.files at your proxy's root CA, or check `vmtrust list`");
    }
}
