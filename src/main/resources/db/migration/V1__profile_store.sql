-- The profile store: what the job knows about each person, for lookups by any identifier and audiences in SQL.
-- The job is the only writer (through cdp_apply_profile and cdp_apply_segment_change); readers use plain SQL.

CREATE TABLE profiles (
    profile_id      text PRIMARY KEY,
    -- counts the profile's snapshots; a write with a version not above the stored one is a retry or a reorder
    version         bigint      NOT NULL,
    snapshot        jsonb       NOT NULL,
    traits          jsonb       NOT NULL,
    computed_traits jsonb       NOT NULL,
    consent         jsonb       NOT NULL,
    first_seen      timestamptz,
    last_seen       timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- identifier -> profile: every identifier of the merged identity points at the one profile
CREATE TABLE identifiers (
    namespace  text NOT NULL,
    value      text NOT NULL,
    profile_id text NOT NULL,
    PRIMARY KEY (namespace, value)
);
CREATE INDEX identifiers_by_profile ON identifiers (profile_id);

-- an absorbed profile id -> the profile it was merged into
CREATE TABLE redirects (
    absorbed_id text PRIMARY KEY,
    survivor_id text        NOT NULL,
    merged_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX redirects_by_survivor ON redirects (survivor_id);

-- the latest change per profile and segment; member = false after an exit (kept so that a replayed older entry
-- cannot bring the membership back)
CREATE TABLE segment_memberships (
    segment_id      text        NOT NULL,
    profile_id      text        NOT NULL,
    segment_version int         NOT NULL,
    member          boolean     NOT NULL,
    sequence        bigint      NOT NULL,
    entered_at      timestamptz,
    changed_at      timestamptz NOT NULL,
    reason          jsonb       NOT NULL,
    PRIMARY KEY (segment_id, profile_id)
);
-- "who is in audience X", in profile id order (keyset pagination)
CREATE INDEX segment_members ON segment_memberships (segment_id, profile_id) WHERE member;
CREATE INDEX segment_memberships_by_profile ON segment_memberships (profile_id);

-- every membership change, for the explorer's "recent changes"
CREATE TABLE membership_changes (
    profile_id      text        NOT NULL,
    segment_id      text        NOT NULL,
    sequence        bigint      NOT NULL,
    segment_version int         NOT NULL,
    entered         boolean     NOT NULL,
    occurred_at     timestamptz NOT NULL,
    reason          jsonb       NOT NULL,
    PRIMARY KEY (profile_id, segment_id, sequence)
);
CREATE INDEX membership_changes_recent ON membership_changes (profile_id, occurred_at DESC);

-- A removed or erased profile id (a pseudonym: no personal data) for one hour: a retried older snapshot or change
-- of hers within that time is dropped instead of bringing her back. Older markers are ignored and cleaned up.
CREATE TABLE removed_profiles (
    profile_id text PRIMARY KEY,
    removed_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION cdp_recently_removed(p_id text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM removed_profiles WHERE profile_id = p_id AND removed_at > now() - interval '1 hour')
$$;

-- One profile update from the job: a snapshot (p_snapshot set), a merge (p_survivor set), or a removal (neither).
CREATE PROCEDURE cdp_apply_profile(p_id text, p_version bigint, p_snapshot jsonb, p_survivor text)
LANGUAGE plpgsql AS $$
DECLARE
    applied int;
BEGIN
    IF p_snapshot IS NOT NULL THEN
        -- an absorbed profile never comes back; a removed one not from a retry of its old snapshots
        IF EXISTS (SELECT 1 FROM redirects WHERE absorbed_id = p_id) OR cdp_recently_removed(p_id) THEN
            RETURN;
        END IF;
        INSERT INTO profiles AS t (profile_id, version, snapshot, traits, computed_traits, consent, first_seen,
                                   last_seen, updated_at)
        VALUES (p_id, p_version, p_snapshot, coalesce(p_snapshot -> 'traits', '{}'),
                coalesce(p_snapshot -> 'computedTraits', '{}'), coalesce(p_snapshot -> 'consent', '{}'),
                (p_snapshot ->> 'firstSeen')::timestamptz, (p_snapshot ->> 'lastSeen')::timestamptz, now())
        ON CONFLICT (profile_id) DO UPDATE SET
            version = excluded.version, snapshot = excluded.snapshot, traits = excluded.traits,
            computed_traits = excluded.computed_traits, consent = excluded.consent,
            first_seen = excluded.first_seen, last_seen = excluded.last_seen, updated_at = now()
        WHERE excluded.version > t.version;
        GET DIAGNOSTICS applied = ROW_COUNT;
        IF applied = 0 THEN
            RETURN; -- an older or repeated snapshot: the stored one is newer
        END IF;
        DELETE FROM removed_profiles WHERE profile_id = p_id;
        -- her identifiers point here (taken over from an absorbed profile whose announcement may come later)
        INSERT INTO identifiers (namespace, value, profile_id)
        SELECT i ->> 'namespace', i ->> 'value', p_id FROM jsonb_array_elements(p_snapshot -> 'identifiers') i
        ON CONFLICT (namespace, value) DO UPDATE SET profile_id = excluded.profile_id
        WHERE identifiers.profile_id <> excluded.profile_id;
        DELETE FROM identifiers d WHERE d.profile_id = p_id AND NOT EXISTS (
            SELECT 1 FROM jsonb_array_elements(p_snapshot -> 'identifiers') i
            WHERE i ->> 'namespace' = d.namespace AND i ->> 'value' = d.value);
    ELSIF p_survivor IS NOT NULL THEN
        INSERT INTO redirects (absorbed_id, survivor_id) VALUES (p_id, p_survivor)
        ON CONFLICT (absorbed_id) DO UPDATE SET survivor_id = excluded.survivor_id;
        -- profiles that had been merged into the absorbed one now lead to the survivor in one step
        UPDATE redirects SET survivor_id = p_survivor WHERE survivor_id = p_id;
        UPDATE identifiers SET profile_id = p_survivor WHERE profile_id = p_id;
        DELETE FROM profiles WHERE profile_id = p_id;
        DELETE FROM segment_memberships WHERE profile_id = p_id AND NOT member;
    ELSE
        DELETE FROM profiles WHERE profile_id = p_id;
        DELETE FROM identifiers WHERE profile_id = p_id;
        DELETE FROM redirects WHERE absorbed_id = p_id OR survivor_id = p_id;
        DELETE FROM segment_memberships WHERE profile_id = p_id;
        DELETE FROM membership_changes WHERE profile_id = p_id;
        DELETE FROM removed_profiles WHERE removed_at < now() - interval '1 hour';
        INSERT INTO removed_profiles (profile_id) VALUES (p_id)
        ON CONFLICT (profile_id) DO UPDATE SET removed_at = now();
    END IF;
END
$$;

-- One segment change from the job; the change's sequence (per profile and segment) orders retries and reorders.
CREATE PROCEDURE cdp_apply_segment_change(p_segment text, p_profile text, p_version int, p_entered boolean,
                                          p_sequence bigint, p_occurred_at timestamptz, p_reason jsonb)
LANGUAGE plpgsql AS $$
BEGIN
    IF cdp_recently_removed(p_profile) THEN
        RETURN;
    END IF;
    INSERT INTO segment_memberships AS m (segment_id, profile_id, segment_version, member, sequence, entered_at,
                                          changed_at, reason)
    VALUES (p_segment, p_profile, p_version, p_entered, p_sequence,
            CASE WHEN p_entered THEN p_occurred_at END, p_occurred_at, p_reason)
    ON CONFLICT (segment_id, profile_id) DO UPDATE SET
        segment_version = excluded.segment_version, member = excluded.member, sequence = excluded.sequence,
        entered_at = CASE WHEN excluded.member THEN excluded.entered_at ELSE m.entered_at END,
        changed_at = excluded.changed_at, reason = excluded.reason
    WHERE excluded.sequence > m.sequence;
    INSERT INTO membership_changes (profile_id, segment_id, sequence, segment_version, entered, occurred_at, reason)
    VALUES (p_profile, p_segment, p_sequence, p_version, p_entered, p_occurred_at, p_reason)
    ON CONFLICT DO NOTHING;
END
$$;
