package dev.streamingcdp.privacy;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.privacy.avro.SuppressionEntry;
import dev.streamingcdp.privacy.avro.SuppressionUpdate;
import dev.streamingcdp.profile.ProfileLogic;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the suppression list names an identifier: HMAC-SHA256 of its key (namespace:value, normalised) keyed with the
 * job's secret salt, so the list holds no identifier and a guess cannot be checked without the salt. Also how long
 * an entry lasts, and how long an erased profile id refuses messages still in flight.
 */
public final class Suppressions implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String salt;
    private final long retentionMillis;
    private final long erasureGraceMillis;
    /** One per function instance; Mac is not thread-safe, and an operator instance is one thread. */
    private transient Mac mac;

    public Suppressions(String salt, Duration retention, Duration erasureGrace) {
        this.salt = salt;
        this.retentionMillis = retention.toMillis();
        this.erasureGraceMillis = erasureGrace.toMillis();
    }

    public static Suppressions of(JobDefinition.Privacy privacy) {
        return new Suppressions(privacy.salt(), privacy.suppressionRetention(), privacy.erasureGrace());
    }

    /** The job defaults (tests and callers without privacy settings). */
    public static Suppressions defaults() {
        return of(new JobDefinition.Privacy(null, null, null));
    }

    public String hash(Identifier x) {
        if (mac == null) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every Java platform has HmacSHA256", e);
            }
        }
        return HexFormat.of().formatHex(mac.doFinal(ProfileLogic.key(x).getBytes(StandardCharsets.UTF_8)));
    }

    /** Suppress {@code identifiers} for the retention, counted from the request's time. */
    public SuppressionUpdate add(String requestId, long requestedAt, Collection<Identifier> identifiers) {
        return new SuppressionUpdate(requestId, hashes(identifiers), new ArrayList<>(), entry(requestId, requestedAt));
    }

    public SuppressionUpdate remove(String requestId, long requestedAt, Collection<Identifier> identifiers) {
        return new SuppressionUpdate(requestId, new ArrayList<>(), hashes(identifiers), entry(requestId, requestedAt));
    }

    public long erasureGraceMillis() {
        return erasureGraceMillis;
    }

    private SuppressionEntry entry(String requestId, long requestedAt) {
        long until = requestedAt > Long.MAX_VALUE - retentionMillis ? Long.MAX_VALUE : requestedAt + retentionMillis;
        return new SuppressionEntry(requestId, requestedAt, until);
    }

    private List<String> hashes(Collection<Identifier> identifiers) {
        List<String> hashes = new ArrayList<>(identifiers.size());
        identifiers.forEach(x -> hashes.add(hash(x)));
        return hashes;
    }
}
