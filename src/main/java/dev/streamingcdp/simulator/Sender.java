package dev.streamingcdp.simulator;

/**
 * The system that sends an event and what it knows about the customer: a browser knows a cookie (and the customer
 * id once she has logged in), the app its device id, the e-mail platform her address, a till her loyalty card.
 */
record Sender(Customer customer, String channel, String userId, String anonymousId, String deviceId,
        boolean emailInContext, boolean loyaltyInContext, String library) {

    static Sender anonymousWeb(Customer c, String cookie) {
        return new Sender(c, "browser", null, cookie, null, false, false, "analytics.js");
    }

    static Sender web(Customer c, String cookie) {
        return new Sender(c, "browser", c.userId(), cookie, null, false, false, "analytics.js");
    }

    static Sender app(Customer c, String deviceId) {
        return new Sender(c, "mobile", c.userId(), null, deviceId, false, false, "analytics-" + c.deviceOs());
    }

    static Sender email(Customer c) {
        return new Sender(c, "email", null, null, null, true, false, null);
    }

    static Sender crm(Customer c) {
        return new Sender(c, "crm", c.userId(), null, null, false, false, null);
    }

    static Sender pos(Customer c) {
        return new Sender(c, "pos", null, null, null, false, true, null);
    }
}
