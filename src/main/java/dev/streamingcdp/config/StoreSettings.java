package dev.streamingcdp.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.time.Duration;

/**
 * job.yaml {@code store:}: the PostgreSQL profile store the job writes (absent: no store). {@code password} is a
 * secret ({@code env:NAME}). A batch is written when it holds {@code batchSize} records or is {@code batchInterval}
 * old; a failed batch is retried {@code maxRetries} times once the database answers again (while it does not, the
 * sink waits, and the job slows down instead of failing).
 */
public record StoreSettings(
        @JsonProperty(required = true) String jdbcUrl,
        @JsonProperty(required = true) String user,
        String password,
        Integer batchSize,
        Duration batchInterval,
        Integer maxRetries) implements Serializable {

    public StoreSettings {
        password = password != null ? password : "";
        batchSize = batchSize != null ? batchSize : 500;
        batchInterval = batchInterval != null ? batchInterval : Duration.ofMillis(200);
        maxRetries = maxRetries != null ? maxRetries : 3;
    }

    public String resolvedPassword() {
        return Secrets.resolve("store.password", password);
    }

    void check() {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw ConfigException.field("store.jdbcUrl",
                    "must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE), was '" + jdbcUrl + "'");
        }
        if (user == null || user.isBlank()) {
            throw ConfigException.field("store.user", "must not be blank");
        }
        resolvedPassword();
        if (batchSize <= 0) {
            throw ConfigException.field("store.batchSize", "must be greater than 0, was " + batchSize);
        }
        if (batchInterval.isNegative() || batchInterval.isZero()) {
            throw ConfigException.field("store.batchInterval", "must be longer than 0");
        }
        if (maxRetries < 0) {
            throw ConfigException.field("store.maxRetries", "must be 0 or more, was " + maxRetries);
        }
    }
}
