package dev.vmtrust.doctor;

import dev.vmtrust.platform.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A name lookup that gives up at a deadline. The JDK's lookup (getaddrinfo) has no timeout of its own and
 * can block for tens of seconds behind a dead DNS server; so it runs on its own daemon thread, and the
 * caller stops waiting at the deadline. A lookup still running then is left to finish or fail on its own
 * (it cannot be interrupted); being a daemon, it never keeps the JVM alive.
 */
final class BoundedLookup {
    /** No answer (neither addresses nor an error) within the deadline. */
    static final class NoAnswer extends Exception {
        NoAnswer() {
            super("no answer", null, false, false);
        }
    }

    private BoundedLookup() {}

    /** The first address {@code resolver} gives for {@code host}, waiting at most {@code timeout}. */
    static InetAddress first(HostResolver resolver, String host, Duration timeout)
            throws UnknownHostException, NoAnswer {
        FutureTask<InetAddress[]> task = new FutureTask<>(() -> resolver.resolve(host));
        Thread t = new Thread(task, "vmtrust-dns-" + host);
        t.setDaemon(true);
        t.start();
        try {
            InetAddress[] all = task.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            if (all == null || all.length == 0) throw new UnknownHostException(host);
            return all[0];
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new NoAnswer();
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new NoAnswer();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException u) throw u;
            UnknownHostException u = new UnknownHostException(host);
            u.initCause(e.getCause());
            throw u;
        }
    }
}
