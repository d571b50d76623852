/**
 * Telling the user: which transitions deserve a notification (rotation, expiry soon, failure after retries,
 * pending restart), the persisted notify state that keeps them to transitions only, and the channels (the
 * desktop via osascript or notify-send, a command hook with the event as JSON, the log). Text is escaped
 * before it reaches any channel.
 *
 * <p>May import: config, json, platform, trust.
 */
package dev.vmtrust.notify;
