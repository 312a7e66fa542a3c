"""The PostgreSQL schema: tables, append-only guards, membership, row-level security.

Everything lives in the schema first on the ``search_path`` of whoever runs
``warroom db init`` (``public`` by default) and is owned by :data:`OWNER`, a role
that cannot log in: nobody connects as the owner, so nobody can switch the guards
off. Seats are database roles made members with ``warroom db grant``:

- they may SELECT, and row-level security shows them only the incidents they are
  members of (``incident_id = ANY((SELECT warroom_my_incidents())::bigint[])``: the
  function runs once per query, not per row);
- they never INSERT or UPDATE a table: they append through ``warroom_append``, a
  ``SECURITY DEFINER`` function that checks membership, bumps the incident's counter
  and inserts in one statement (ids gap-free and committed in id order: the counter's
  row lock is held to COMMIT);
- a trigger stamps every row with the role that wrote it (``session_user``): it is
  the author of every new entry and cannot be forged; an imported row keeps its
  original author and records its importer;
- UPDATE, DELETE and TRUNCATE of events are refused by privileges and by triggers,
  for the owner too;
- a statement-level trigger sends ``pg_notify('warroom_events', 'INCIDENT:LAST_ID')``
  at COMMIT: ids only, never text (anyone may LISTEN).

The schema version is the ``schema_version`` row of ``warroom_meta``.
"""

from __future__ import annotations

#: The PostgreSQL schema version this code writes and understands.
PG_SCHEMA_VERSION = 1

#: The role that owns every warroom object (NOLOGIN).
OWNER = "warroom_owner"

#: The NOTIFY channel (payload ``INCIDENT_ID:LAST_EVENT_ID``).
CHANNEL = "warroom_events"

#: Which database this is when ``warroom_meta`` holds no ``database_id`` (SQL).
LEGACY_IDENTITY = (
    "(SELECT system_identifier::text FROM pg_control_system())"
    " || '/' || current_database() || '/' || current_schema()"
)

#: Stores the database's identity once (a new schema gets a random one; an older
#: one keeps :data:`LEGACY_IDENTITY`, so outbox entries queued for it still match).
DATABASE_ID = (
    "INSERT INTO warroom_meta (name, value) SELECT 'database_id',"
    " CASE WHEN %s THEN gen_random_uuid()::text ELSE " + LEGACY_IDENTITY + " END"
    " ON CONFLICT (name) DO NOTHING"
)

#: SQLSTATEs the functions raise (class ``WR``).
NOT_FOUND, NOT_MEMBER, READ_ONLY, DUPLICATE_SLUG, APPEND_ONLY = (
    "WR404", "WR403", "WR401", "WR409", "WR405",
)

#: Functions a member may execute.
MEMBER_FUNCTIONS = (
    "warroom_my_incidents()",
    "warroom_append(bigint, text[], timestamptz[], text[], boolean[], text[], text[])",
    "warroom_declare(text, text, text, text, timestamptz, text, boolean, text)",
    "warroom_import(text, text, timestamptz, bigint[], text[], timestamptz[], timestamptz[],"
    " text[], text[], boolean[], text[])",
    "warroom_incident_hint(bigint, text)",
)

#: Tables a member may read (rows filtered by row-level security).
MEMBER_TABLES = ("warroom_meta", "incidents", "events", "members")

_FUNCTION = "LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT"

#: Version 1, run by the owner with ``search_path`` set to the target schema only.
V1: tuple[str, ...] = (
    "CREATE TABLE warroom_meta (name text PRIMARY KEY, value text NOT NULL)",
    """
    CREATE TABLE incidents (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        slug        text NOT NULL UNIQUE,
        title       text NOT NULL,
        created_at  timestamptz NOT NULL,
        last_seq    bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
        declared_by text NOT NULL DEFAULT session_user
    )
    """,
    """
    CREATE TABLE events (
        incident_id bigint NOT NULL REFERENCES incidents (id),
        seq         bigint NOT NULL CHECK (seq >= 1),
        kind        text NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        author      text NOT NULL,
        text        text NOT NULL,
        key         boolean NOT NULL,
        data        text NOT NULL CHECK ((data::jsonb ->> 'kind') = kind),
        db_user     text NOT NULL,
        imported    boolean NOT NULL DEFAULT false,
        client_key  text,
        PRIMARY KEY (incident_id, seq)
    )
    """,
    "CREATE UNIQUE INDEX events_client_key ON events (incident_id, client_key)"
    " WHERE client_key IS NOT NULL",
    """
    CREATE TABLE members (
        incident_id bigint REFERENCES incidents (id),
        member      text NOT NULL,
        can_write   boolean NOT NULL
    )
    """,
    "CREATE UNIQUE INDEX members_one ON members (member, coalesce(incident_id, 0))",
    # -- the author, the writer and the recorded time come from the server ----------
    """
    CREATE FUNCTION warroom_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.db_user := session_user;
        IF NOT NEW.imported THEN
            NEW.author := session_user;
            NEW.recorded_at := now();
        END IF;
        RETURN NEW;
    END $$
    """,
    "CREATE TRIGGER events_stamp BEFORE INSERT ON events"
    " FOR EACH ROW EXECUTE FUNCTION warroom_stamp()",
    # -- append-only, for everyone --------------------------------------------------
    f"""
    CREATE FUNCTION warroom_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'warroom % are append-only: % is not allowed', TG_TABLE_NAME, TG_OP
            USING ERRCODE = '{APPEND_ONLY}';
    END $$
    """,
    "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events"
    " FOR EACH STATEMENT EXECUTE FUNCTION warroom_refuse()",
    "CREATE TRIGGER incidents_kept BEFORE DELETE OR TRUNCATE ON incidents"
    " FOR EACH STATEMENT EXECUTE FUNCTION warroom_refuse()",
    f"""
    CREATE FUNCTION warroom_counter_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF (NEW.id, NEW.slug, NEW.title, NEW.created_at, NEW.declared_by)
                IS DISTINCT FROM (OLD.id, OLD.slug, OLD.title, OLD.created_at, OLD.declared_by)
                OR NEW.last_seq < OLD.last_seq THEN
            RAISE EXCEPTION 'warroom incidents are append-only: only the event counter moves'
                USING ERRCODE = '{APPEND_ONLY}';
        END IF;
        RETURN NEW;
    END $$
    """,
    "CREATE TRIGGER incidents_counter_only BEFORE UPDATE ON incidents"
    " FOR EACH ROW EXECUTE FUNCTION warroom_counter_only()",
    # -- live push: ids only, at COMMIT ------------------------------------------------
    f"""
    CREATE FUNCTION warroom_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{CHANNEL}', incident_id::text || ':' || max(seq)::text)
            FROM added GROUP BY incident_id;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER events_notify AFTER INSERT ON events REFERENCING NEW TABLE AS added"
    " FOR EACH STATEMENT EXECUTE FUNCTION warroom_notify()",
    # -- membership ------------------------------------------------------------------
    f"""
    CREATE FUNCTION warroom_my_incidents() RETURNS bigint[] STABLE {_FUNCTION} AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM members WHERE member = session_user AND incident_id IS NULL)
        THEN
            RETURN ARRAY(SELECT id FROM incidents);
        END IF;
        RETURN ARRAY(SELECT incident_id FROM members
                     WHERE member = session_user AND incident_id IS NOT NULL);
    END $$
    """,
    f"""
    CREATE FUNCTION warroom_access(p_incident bigint, p_write boolean) RETURNS void
    STABLE {_FUNCTION} AS $$
    DECLARE
        v_slug text;
        v_can boolean;
    BEGIN
        SELECT slug INTO v_slug FROM incidents WHERE id = p_incident;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no incident with id %', p_incident USING ERRCODE = '{NOT_FOUND}';
        END IF;
        SELECT bool_or(can_write) INTO v_can FROM members
         WHERE member = session_user AND (incident_id IS NULL OR incident_id = p_incident);
        IF v_can IS NULL THEN
            RAISE EXCEPTION 'you (database role %) are not a member of incident %',
                session_user, v_slug USING ERRCODE = '{NOT_MEMBER}';
        END IF;
        IF p_write AND NOT v_can THEN
            RAISE EXCEPTION 'you (database role %) are a read-only member of incident %',
                session_user, v_slug USING ERRCODE = '{READ_ONLY}';
        END IF;
    END $$
    """,
    f"""
    CREATE FUNCTION warroom_incident_hint(p_id bigint, p_slug text) RETURNS text
    STABLE {_FUNCTION} AS $$
    BEGIN
        RETURN (SELECT slug FROM incidents WHERE id = p_id OR slug = p_slug LIMIT 1);
    END $$
    """,
    f"""
    CREATE FUNCTION warroom_may_declare() RETURNS void STABLE {_FUNCTION} AS $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM members
                       WHERE member = session_user AND incident_id IS NULL AND can_write) THEN
            RAISE EXCEPTION 'you (database role %) may not declare or import incidents here: '
                'that takes write access to every incident (warroom db grant %)',
                session_user, session_user USING ERRCODE = '{NOT_MEMBER}';
        END IF;
    END $$
    """,
    # -- the only ways in ----------------------------------------------------------------
    f"""
    CREATE FUNCTION warroom_append(
        p_incident bigint, p_kinds text[], p_occurred timestamptz[], p_texts text[],
        p_keys boolean[], p_data text[], p_client_keys text[] DEFAULT NULL
    ) RETURNS TABLE (o_seq bigint, o_recorded timestamptz, o_author text)
    VOLATILE {_FUNCTION} AS $$
    DECLARE
        n int := cardinality(p_kinds);
    BEGIN
        PERFORM warroom_access(p_incident, true);
        IF p_client_keys IS NOT NULL THEN
            -- A retry of an append whose answer was lost: hand back what was stored.
            RETURN QUERY SELECT e.seq, e.recorded_at, e.author FROM events e
                WHERE e.incident_id = p_incident AND e.client_key = ANY (p_client_keys)
                ORDER BY e.seq;
            IF FOUND THEN
                RETURN;
            END IF;
        END IF;
        RETURN QUERY
        WITH c AS (
            UPDATE incidents SET last_seq = last_seq + n WHERE id = p_incident
            RETURNING last_seq
        )
        INSERT INTO events AS e (incident_id, seq, kind, occurred_at, recorded_at, author,
                                 text, key, data, db_user, imported, client_key)
        SELECT p_incident, c.last_seq - n + u.ord, u.kind, u.occurred, now(), session_user,
               u.body, u.flag, u.payload, session_user, false, u.client_key
          FROM c, unnest(p_kinds, p_occurred, p_texts, p_keys, p_data,
                         coalesce(p_client_keys, array_fill(NULL::text, ARRAY[n])))
               WITH ORDINALITY AS u(kind, occurred, body, flag, payload, client_key, ord)
        RETURNING e.seq, e.recorded_at, e.author;
    END $$
    """,
    f"""
    CREATE FUNCTION warroom_declare(
        p_slug text, p_base text, p_title text, p_kind text, p_occurred timestamptz,
        p_text text, p_key boolean, p_data text
    ) RETURNS TABLE (o_id bigint, o_slug text, o_created timestamptz, o_author text)
    VOLATILE {_FUNCTION} AS $$
    DECLARE
        v_slug text := coalesce(p_slug, p_base);
        v_id bigint;
        n int := 1;
    BEGIN
        PERFORM warroom_may_declare();
        LOOP
            IF p_slug IS NULL THEN
                WHILE EXISTS (SELECT 1 FROM incidents WHERE slug = v_slug) LOOP
                    n := n + 1;
                    v_slug := p_base || '-' || n;
                END LOOP;
            END IF;
            BEGIN
                INSERT INTO incidents (slug, title, created_at, last_seq, declared_by)
                VALUES (v_slug, p_title, now(), 1, session_user) RETURNING id INTO v_id;
                EXIT;
            EXCEPTION WHEN unique_violation THEN
                IF p_slug IS NOT NULL THEN
                    RAISE EXCEPTION 'an incident with slug % already exists',
                        quote_literal(p_slug) USING ERRCODE = '{DUPLICATE_SLUG}';
                END IF;
            END;
        END LOOP;
        INSERT INTO events (incident_id, seq, kind, occurred_at, recorded_at, author, text,
                            key, data, db_user)
        VALUES (v_id, 1, p_kind, p_occurred, now(), session_user, p_text, p_key, p_data,
                session_user);
        INSERT INTO members (incident_id, member, can_write) VALUES (v_id, session_user, true);
        RETURN QUERY SELECT v_id, v_slug, i.created_at, session_user::text
            FROM incidents i WHERE i.id = v_id;
    END $$
    """,
    f"""
    CREATE FUNCTION warroom_import(
        p_slug text, p_title text, p_created timestamptz, p_seqs bigint[], p_kinds text[],
        p_occurred timestamptz[], p_recorded timestamptz[], p_authors text[], p_texts text[],
        p_keys boolean[], p_data text[]
    ) RETURNS bigint VOLATILE {_FUNCTION} AS $$
    DECLARE
        v_id bigint;
    BEGIN
        PERFORM warroom_may_declare();
        BEGIN
            INSERT INTO incidents (slug, title, created_at, last_seq, declared_by)
            VALUES (p_slug, p_title, p_created,
                    coalesce((SELECT max(s) FROM unnest(p_seqs) AS s), 0), session_user)
            RETURNING id INTO v_id;
        EXCEPTION WHEN unique_violation THEN
            RAISE EXCEPTION 'an incident with slug % already exists', quote_literal(p_slug)
                USING ERRCODE = '{DUPLICATE_SLUG}';
        END;
        INSERT INTO events (incident_id, seq, kind, occurred_at, recorded_at, author, text,
                            key, data, db_user, imported)
        SELECT v_id, u.seq, u.kind, u.occurred, u.recorded, u.author, u.body, u.flag,
               u.payload, session_user, true
          FROM unnest(p_seqs, p_kinds, p_occurred, p_recorded, p_authors, p_texts, p_keys,
                      p_data) AS u(seq, kind, occurred, recorded, author, body, flag, payload);
        INSERT INTO members (incident_id, member, can_write) VALUES (v_id, session_user, true);
        RETURN v_id;
    END $$
    """,
    # -- row-level security ----------------------------------------------------------------
    "ALTER TABLE incidents ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY members_read ON incidents FOR SELECT"
    " USING (id = ANY ((SELECT warroom_my_incidents())::bigint[]))",
    "ALTER TABLE events ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY members_read ON events FOR SELECT"
    " USING (incident_id = ANY ((SELECT warroom_my_incidents())::bigint[]))",
    "ALTER TABLE members ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY own_rows ON members FOR SELECT USING (member = session_user)",
    # -- privileges: nothing for PUBLIC ---------------------------------------------------
    "REVOKE ALL ON warroom_meta, incidents, events, members FROM PUBLIC",
    "REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} FROM PUBLIC",
)
