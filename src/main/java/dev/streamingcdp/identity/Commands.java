package dev.streamingcdp.identity;

import dev.streamingcdp.identity.avro.FeedbackMessage;
import dev.streamingcdp.identity.avro.IdentityCommand;
import dev.streamingcdp.identity.avro.ProfileCommand;
import dev.streamingcdp.model.Identifier;
import dev.streamingcdp.privacy.avro.SuppressionUpdate;
import dev.streamingcdp.profile.ProfileLogic;

/** Builders for the messages between the identity and profile operators, so call sites read as the protocol. */
public final class Commands {

    private Commands() {}

    public static IdentityCommand toIdentifier(Identifier target, Object body) {
        return new IdentityCommand(ProfileLogic.key(target), body);
    }

    public static ProfileCommand toProfile(String profileId, Object body) {
        return new ProfileCommand(profileId, body);
    }

    public static FeedbackMessage feedback(IdentityCommand command) {
        return new FeedbackMessage(command);
    }

    public static FeedbackMessage feedback(ProfileCommand command) {
        return new FeedbackMessage(command);
    }

    /** Hashes an erasure found, for the suppression filter in front of identity. */
    public static FeedbackMessage feedback(SuppressionUpdate suppression) {
        return new FeedbackMessage(suppression);
    }
}
