package dev.vmtrust;
public final class Main { public static void main(String[] a) { System.out.println("vmtrust"); } }
