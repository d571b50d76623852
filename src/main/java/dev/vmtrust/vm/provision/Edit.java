package dev.vmtrust.vm.provision;

/**
 * The result of a pure edit: the new text, and whether it differs from the input. When
 * {@code changed} is false, {@code text} is the very String that was passed in.
 */
public record Edit(String text, boolean changed) {}
