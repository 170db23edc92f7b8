package dev.streamingcdp.profile;
// STUB
public final class ProfileId { public static String of(dev.streamingcdp.model.Identifier l) { return "p-" + Integer.toHexString((l.getNamespace() + ":" + l.getValue()).hashCode()); } }
