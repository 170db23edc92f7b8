package dev.streamingcdp.model;

/** The built-in identifier namespaces; jobs may add their own (loyalty_id, crm_id ...) via context.externalIds. */
public final class Namespaces {

    public static final String ANONYMOUS_ID = "anonymous_id";
    public static final String USER_ID = "user_id";
    public static final String EMAIL = "email";
    public static final String PHONE = "phone";
    public static final String DEVICE_ID = "device_id";

    private Namespaces() {}
}
