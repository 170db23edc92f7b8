package dev.streamingcdp.profile;

import dev.streamingcdp.activation.avro.ActivationInput;
import dev.streamingcdp.identity.avro.FeedbackMessage;
import dev.streamingcdp.model.DeadLetter;
import dev.streamingcdp.model.LinkRejection;
import dev.streamingcdp.model.ProfileUpdate;
import dev.streamingcdp.model.SegmentChange;

/** Everything the profile logic sends, as it happens (snapshots go through the cache instead: see ProfileEntry). */
interface ProfileOutputs {

    /** A merge announcement or a tombstone for the profile topic. */
    void update(ProfileUpdate update);

    void feedback(FeedbackMessage message);

    void rejectedLink(LinkRejection rejection);

    void segmentChange(SegmentChange change);

    void activation(ActivationInput input);

    void deadLetter(DeadLetter deadLetter);
}
