package dev.vmtrust.service;

/** Installing or removing the agent failed; the message says what, where, and the next step. */
public class ServiceException extends Exception {
    public ServiceException(String message) {
        super(message);
    }

    public ServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
