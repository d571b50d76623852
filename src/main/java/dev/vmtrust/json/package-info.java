/**
 * JSON for vmtrust's own shapes (status.json, {@code --json} output, notification events, the notify state):
 * a thin layer over a maintained library that keeps output compact, one line and safe in logs.
 *
 * <p>May import: nothing of vmtrust's.
 */
package dev.vmtrust.json;
