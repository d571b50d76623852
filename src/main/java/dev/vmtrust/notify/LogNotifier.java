package dev.vmtrust.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs every event at INFO: the log is the one channel that always works (and the desktop may file ours away). */
public final class LogNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(LogNotifier.class);

    @Override
    public void notify(Event e) {
        LOG.info("{}: {} [{}]", e.event().word(), e.message(), e.toJson());
    }
}
