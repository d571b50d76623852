package dev.vmtrust.service;

/** The one-sentence {@link ServiceStatus#detail()}, with the next step when something is off. */
final class AgentText {
    private AgentText() {}

    /** {@code enabledWord}: "loaded" (launchd) or "enabled" (systemd); {@code logs}: where to look. */
    static String detail(boolean installed, boolean current, boolean enabled, boolean running,
                         String enabledWord, String logs) {
        if (!installed && !enabled) return "the vmtrust agent is not installed; run: vmtrust install";
        if (!installed) return "the vmtrust agent is " + enabledWord + " but its service file is gone; run: vmtrust install";
        if (!current) return "the vmtrust agent's service file is out of date (another launcher path or vmtrust "
                + "version); run: vmtrust install";
        if (!enabled) return "the vmtrust agent is installed but not " + enabledWord + "; run: vmtrust install";
        if (!running) return "the vmtrust agent is installed but not running; see " + logs;
        return "the vmtrust agent is installed and running";
    }
}
