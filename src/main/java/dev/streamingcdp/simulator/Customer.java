package dev.streamingcdp.simulator;

import java.time.ZoneId;
import java.util.List;

/**
 * One simulated person and every identifier the channels may know her by.
 *
 * @param userId      the customer id, e.g. cust-000042
 * @param email       lower case as stored; events may carry it with odd casing and spaces
 * @param phone       E.164; events carry it in varied formats
 * @param country     ISO 3166 region of her phone, address and currency
 * @param loyaltyId   the loyalty card the tills know her by; null if she has none
 * @param cookies     browser anonymous ids, one per browser she uses
 * @param deviceIds   app installation ids; empty if she does not use the app
 * @param deviceOs    ios or android, for her app devices
 * @param householdId the group she belongs to
 */
public record Customer(String userId, String firstName, String lastName, String email, String phone,
        String country, ZoneId zone, String loyaltyId, List<String> cookies, List<String> deviceIds,
        String deviceOs, String householdId) {}
