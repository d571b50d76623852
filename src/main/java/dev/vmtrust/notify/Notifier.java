package dev.vmtrust.notify;

/**
 * Tells the user about one event. Best effort: implementations log their failures and never throw,
 * so a broken notification channel never stops a reconcile.
 */
public interface Notifier {
    void notify(Event event);
}
