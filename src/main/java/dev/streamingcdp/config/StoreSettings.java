package dev.streamingcdp.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.time.Duration;

/**
 * job.yaml {@code store:}: the PostgreSQL profile store the job writes (absent: no store). {@code password} is a
 * secret ({@code env:NAME}). A batch is written when it holds {@code batchSize} records or is {@code batchInterval}
 * old. While the database does not answer, records wait in the sink (and in its checkpoints) and the job goes on;
 * once {@code maxBuffered} records wait, the sink waits for the database and slows the job down. A batch the
 * database rejects (not a lost connection) is retried {@code maxRetries} times, then fails the task.
 */
public record StoreSettings(
        @JsonProperty(required = true) String jdbcUrl,
        @JsonProperty(required = true) String user,
        String password,
        Integer batchSize,
        Duration batchInterval,
        Integer maxRetries,
        Integer maxBuffered) implements Serializable {

    public StoreSettings {
        password = password != null ? password : "";
        batchSize = batchSize != null ? batchSize : 500;
        batchInterval = batchInterval != null ? batchInterval : Duration.ofMillis(200);
        maxRetries = maxRetries != null ? maxRetries : 3;
        maxBuffered = maxBuffered != null ? maxBuffered : 100_000;
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
        if (maxBuffered < batchSize) {
            throw ConfigException.field("store.maxBuffered",
                    "must be at least store.batchSize (" + batchSize + "), was " + maxBuffered);
        }
    }
}
