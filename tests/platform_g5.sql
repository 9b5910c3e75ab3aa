-- The platform's canonical tenant tables (G5), written by us column by column from PLATFORM.md's
-- appendix; loaded by tests/platform_db.py into a template database once per test run.

-- Stand-ins (an id only) so the registry's and configurations' foreign keys exist.
CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid());
CREATE TABLE stores (id uuid PRIMARY KEY DEFAULT gen_random_uuid());

-- The registry and the code tables (varchar plugin_id, no foreign key).
CREATE TABLE plugin_registry (
    name varchar(255) NOT NULL,
    version varchar(50) NOT NULL,
    description text,
    type varchar(50) DEFAULT 'custom',
    category varchar(50) DEFAULT 'utility',
    author varchar(255),
    status varchar(50) DEFAULT 'inactive',
    security_level varchar(50) DEFAULT 'sandboxed',
    framework varchar(50) DEFAULT 'react',
    manifest jsonb DEFAULT '{}'::jsonb,
    permissions jsonb DEFAULT '[]'::jsonb,
    dependencies jsonb DEFAULT '[]'::jsonb,
    tags jsonb DEFAULT '[]'::jsonb,
    installed_at timestamp DEFAULT now(),
    last_activated timestamp,
    updated_at timestamp DEFAULT now(),
    created_at timestamp DEFAULT now(),
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    creator_id uuid,
    is_installed boolean DEFAULT false,
    is_enabled boolean DEFAULT false,
    slug varchar(255),
    is_starter_template boolean DEFAULT false,
    starter_icon varchar(10),
    starter_description text,
    starter_prompt text,
    starter_order integer DEFAULT 0,
    is_public boolean DEFAULT false,
    deprecated_at timestamp,
    deprecation_reason text
);
CREATE INDEX idx_plugin_registry_category ON plugin_registry USING btree (category);
CREATE INDEX idx_plugin_registry_creator ON plugin_registry USING btree (creator_id);
CREATE INDEX idx_plugin_registry_deprecated ON plugin_registry USING btree (deprecated_at);
CREATE INDEX idx_plugin_registry_is_public ON plugin_registry USING btree (is_public);
CREATE INDEX idx_plugin_registry_status ON plugin_registry USING btree (status);

CREATE TABLE plugin_scripts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id varchar(255) NOT NULL,
    script_type varchar(20) NOT NULL,
    scope varchar(20) NOT NULL,
    file_name varchar(255) NOT NULL,
    file_content text NOT NULL,
    load_priority integer DEFAULT 10,
    is_enabled boolean DEFAULT true,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX idx_plugin_scripts_enabled ON plugin_scripts USING btree (is_enabled) WHERE (is_enabled = true);
CREATE INDEX idx_plugin_scripts_plugin ON plugin_scripts USING btree (plugin_id);
CREATE INDEX idx_plugin_scripts_plugin_id ON plugin_scripts USING btree (plugin_id);
CREATE INDEX idx_plugin_scripts_type_scope ON plugin_scripts USING btree (script_type, scope);

CREATE TABLE plugin_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id varchar(255) NOT NULL,
    event_name varchar(255) NOT NULL,
    listener_function text NOT NULL,
    priority integer DEFAULT 10,
    is_enabled boolean DEFAULT true,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    file_name varchar(255)
);
CREATE INDEX idx_plugin_events_enabled ON plugin_events USING btree (is_enabled) WHERE (is_enabled = true);
CREATE INDEX idx_plugin_events_name ON plugin_events USING btree (event_name);
CREATE INDEX idx_plugin_events_plugin ON plugin_events USING btree (plugin_id);
CREATE INDEX idx_plugin_events_plugin_name ON plugin_events USING btree (plugin_id, event_name);

CREATE TABLE plugin_hooks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id varchar(255) NOT NULL,
    hook_name varchar(255) NOT NULL,
    hook_type varchar(20) NOT NULL DEFAULT 'filter',
    handler_function text NOT NULL,
    priority integer DEFAULT 10,
    is_enabled boolean DEFAULT true,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX idx_plugin_hooks_enabled ON plugin_hooks USING btree (is_enabled) WHERE (is_enabled = true);
CREATE INDEX idx_plugin_hooks_name ON plugin_hooks USING btree (hook_name);
CREATE INDEX idx_plugin_hooks_plugin ON plugin_hooks USING btree (plugin_id);
CREATE INDEX idx_plugin_hooks_plugin_name ON plugin_hooks USING btree (plugin_id, hook_name);

CREATE TABLE plugin_widgets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id uuid NOT NULL,
    widget_id varchar(255) NOT NULL,
    widget_name varchar(255) NOT NULL,
    description text,
    component_code text NOT NULL,
    default_config jsonb DEFAULT '{}'::jsonb,
    category varchar(100),
    icon varchar(50),
    preview_image text,
    is_enabled boolean DEFAULT true,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX idx_plugin_widgets_plugin ON plugin_widgets USING btree (plugin_id);
CREATE INDEX idx_plugin_widgets_widget_id ON plugin_widgets USING btree (widget_id);

CREATE TABLE plugin_data (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id varchar(255) NOT NULL,
    data_key varchar(255) NOT NULL,
    data_value jsonb,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX idx_plugin_data_key ON plugin_data USING btree (data_key);
CREATE INDEX idx_plugin_data_plugin ON plugin_data USING btree (plugin_id);
CREATE INDEX idx_plugin_data_plugin_key ON plugin_data USING btree (plugin_id, data_key);

CREATE TABLE plugin_dependencies (
    id integer PRIMARY KEY,
    plugin_id varchar(255),
    package_name varchar(255) NOT NULL,
    version varchar(50) NOT NULL,
    bundled_code text NOT NULL,
    created_at timestamp DEFAULT now(),
    updated_at timestamp DEFAULT now()
);
CREATE INDEX idx_plugin_dependencies_plugin_id ON plugin_dependencies USING btree (plugin_id);

-- Migrations, entities, controllers, docs, cron, admin pages/scripts, configurations, marketplace.
CREATE TABLE plugin_migrations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id uuid NOT NULL,
    plugin_name varchar(255) NOT NULL,
    migration_name varchar(255) NOT NULL,
    migration_version varchar(50) NOT NULL,
    migration_description text,
    status varchar(50) DEFAULT 'pending',
    executed_at timestamptz,
    completed_at timestamptz,
    rolled_back_at timestamptz,
    execution_time_ms integer,
    error_message text,
    checksum varchar(64),
    up_sql text,
    down_sql text,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX idx_plugin_migrations_executed_at ON plugin_migrations USING btree (executed_at DESC);
CREATE INDEX idx_plugin_migrations_plugin_id ON plugin_migrations USING btree (plugin_id);
CREATE INDEX idx_plugin_migrations_status ON plugin_migrations USING btree (status);
CREATE INDEX idx_plugin_migrations_version ON plugin_migrations USING btree (migration_version);

CREATE TABLE plugin_entities (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id uuid NOT NULL,
    entity_name varchar(255) NOT NULL,
    table_name varchar(255) NOT NULL,
    description text,
    schema_definition jsonb NOT NULL,
    migration_status varchar(50) DEFAULT 'pending',
    migration_version varchar(50),
    migrated_at timestamptz,
    create_table_sql text,
    drop_table_sql text,
    model_code text,
    is_enabled boolean DEFAULT true,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX idx_plugin_entities_migration_status ON plugin_entities USING btree (migration_status);
CREATE INDEX idx_plugin_entities_plugin_id ON plugin_entities USING btree (plugin_id);
CREATE INDEX idx_plugin_entities_table_name ON plugin_entities USING btree (table_name);

CREATE TABLE plugin_controllers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id uuid NOT NULL,
    controller_name varchar(255) NOT NULL,
    description text,
    method varchar(10) NOT NULL,
    path varchar(500) NOT NULL,
    handler_code text NOT NULL,
    request_schema jsonb,
    response_schema jsonb,
    requires_auth boolean DEFAULT false,
    allowed_roles jsonb,
    rate_limit integer DEFAULT 100,
    is_enabled boolean DEFAULT true,
    execution_count integer DEFAULT 0,
    last_executed_at timestamptz,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX idx_plugin_controllers_enabled ON plugin_controllers USING btree (is_enabled);
CREATE INDEX idx_plugin_controllers_method_path ON plugin_controllers USING btree (method, path);
CREATE INDEX idx_plugin_controllers_plugin_id ON plugin_controllers USING btree (plugin_id);

CREATE TABLE plugin_docs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id uuid NOT NULL,
    doc_type varchar(50) NOT NULL,
    file_name varchar(255) NOT NULL,
    title varchar(255),
    content text NOT NULL,
    format varchar(20) DEFAULT 'markdown',
    description text,
    is_visible boolean DEFAULT true,
    display_order integer DEFAULT 0,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX idx_plugin_docs_plugin_id ON plugin_docs USING btree (plugin_id);
CREATE INDEX idx_plugin_docs_type ON plugin_docs USING btree (doc_type);
CREATE INDEX idx_plugin_docs_visible ON plugin_docs USING btree (is_visible);

CREATE TABLE plugin_cron (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id uuid NOT NULL,
    cron_name varchar(255) NOT NULL,
    description text,
    cron_schedule varchar(100) NOT NULL,
    timezone varchar(50) DEFAULT 'UTC',
    handler_method varchar(255) NOT NULL,
    handler_code text,
    handler_params jsonb DEFAULT '{}',
    is_enabled boolean DEFAULT true,
    priority integer DEFAULT 10,
    last_run_at timestamptz,
    next_run_at timestamptz,
    last_status varchar(50),
    last_error text,
    last_result jsonb,
    run_count integer DEFAULT 0,
    success_count integer DEFAULT 0,
    failure_count integer DEFAULT 0,
    consecutive_failures integer DEFAULT 0,
    max_runs integer,
    max_failures integer DEFAULT 5,
    timeout_seconds integer DEFAULT 300,
    cron_job_id uuid,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX idx_plugin_cron_plugin_id ON plugin_cron (plugin_id);
CREATE INDEX idx_plugin_cron_enabled ON plugin_cron (is_enabled) WHERE is_enabled = true;
CREATE UNIQUE INDEX idx_plugin_cron_unique_name ON plugin_cron (plugin_id, cron_name);

CREATE TABLE plugin_admin_pages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id varchar(255) NOT NULL,
    page_key varchar(255) NOT NULL,
    page_name varchar(255) NOT NULL,
    route varchar(500) NOT NULL,
    component_code text NOT NULL,
    description text,
    icon varchar(100),
    category varchar(100),
    order_position integer DEFAULT 100,
    is_enabled boolean DEFAULT true,
    created_at timestamp DEFAULT now(),
    updated_at timestamp DEFAULT now()
);
CREATE INDEX idx_plugin_admin_pages_enabled ON plugin_admin_pages USING btree (is_enabled);
CREATE INDEX idx_plugin_admin_pages_plugin ON plugin_admin_pages USING btree (plugin_id);
CREATE INDEX idx_plugin_admin_pages_route ON plugin_admin_pages USING btree (route);

CREATE TABLE plugin_admin_scripts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id varchar(255) NOT NULL,
    script_name varchar(255) NOT NULL,
    script_code text NOT NULL,
    description text,
    load_order integer DEFAULT 100,
    is_enabled boolean DEFAULT true,
    created_at timestamp DEFAULT now(),
    updated_at timestamp DEFAULT now()
);
CREATE INDEX idx_plugin_admin_scripts_enabled ON plugin_admin_scripts USING btree (is_enabled);
CREATE INDEX idx_plugin_admin_scripts_order ON plugin_admin_scripts USING btree (load_order);
CREATE INDEX idx_plugin_admin_scripts_plugin ON plugin_admin_scripts USING btree (plugin_id);

CREATE TABLE plugin_configurations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id varchar(255),
    store_id uuid,
    is_enabled boolean DEFAULT false,
    config_data jsonb DEFAULT '{}'::jsonb,
    last_configured_by uuid,
    last_configured_at timestamptz,
    enabled_at timestamptz,
    disabled_at timestamptz,
    last_health_check timestamptz,
    health_status varchar(50),
    error_log text,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX plugin_configurations_health_status ON plugin_configurations USING btree (health_status);
CREATE INDEX plugin_configurations_is_enabled ON plugin_configurations USING btree (is_enabled);
CREATE INDEX plugin_configurations_plugin_id ON plugin_configurations USING btree (plugin_id);
CREATE INDEX plugin_configurations_store_id ON plugin_configurations USING btree (store_id);
CREATE UNIQUE INDEX unique_plugin_store_config ON plugin_configurations USING btree (plugin_id, store_id);

CREATE TABLE plugin_marketplace (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar(255) NOT NULL,
    slug varchar(255) NOT NULL,
    version varchar(50) NOT NULL,
    description text,
    long_description text,
    author_id uuid,
    author_name varchar(255),
    category varchar(100),
    pricing_model varchar(50) NOT NULL DEFAULT 'free',
    base_price numeric DEFAULT 0.00,
    monthly_price numeric,
    yearly_price numeric,
    currency varchar(3) DEFAULT 'USD',
    license_type varchar(50) DEFAULT 'per_store',
    trial_days integer DEFAULT 0,
    status varchar(50) DEFAULT 'pending',
    downloads integer DEFAULT 0,
    active_installations integer DEFAULT 0,
    rating numeric DEFAULT 0.00,
    reviews_count integer DEFAULT 0,
    icon_url text,
    screenshots jsonb DEFAULT '[]'::jsonb,
    plugin_structure jsonb,
    dependencies jsonb DEFAULT '[]'::jsonb,
    requirements jsonb DEFAULT '{}'::jsonb,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX idx_plugin_marketplace_slug ON plugin_marketplace USING btree (slug);
CREATE INDEX idx_plugin_marketplace_status ON plugin_marketplace USING btree (status);

-- Version history (uuid plugin_id).
CREATE TABLE plugin_version_history (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id uuid NOT NULL,
    version_number varchar(50) NOT NULL,
    version_type varchar(20) NOT NULL DEFAULT 'patch',
    parent_version_id uuid,
    commit_message text,
    changelog text,
    created_by uuid,
    created_by_name varchar(255),
    is_current boolean DEFAULT false,
    is_published boolean DEFAULT false,
    snapshot_distance integer DEFAULT 0,
    files_changed integer DEFAULT 0,
    lines_added integer DEFAULT 0,
    lines_deleted integer DEFAULT 0,
    created_at timestamptz DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX idx_plugin_version_created_at ON plugin_version_history USING btree (created_at DESC);
CREATE INDEX idx_plugin_version_is_current ON plugin_version_history USING btree (is_current)
    WHERE (is_current = true);
CREATE INDEX idx_plugin_version_is_published ON plugin_version_history USING btree (is_published)
    WHERE (is_published = true);
CREATE INDEX idx_plugin_version_parent ON plugin_version_history USING btree (parent_version_id);
CREATE INDEX idx_plugin_version_plugin_id ON plugin_version_history USING btree (plugin_id);
CREATE INDEX idx_plugin_version_type ON plugin_version_history USING btree (version_type);

CREATE TABLE plugin_version_snapshots (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    version_id uuid NOT NULL,
    plugin_id uuid NOT NULL,
    snapshot_data jsonb NOT NULL,
    hooks jsonb,
    events jsonb,
    scripts jsonb,
    widgets jsonb,
    controllers jsonb,
    entities jsonb,
    migrations jsonb,
    admin_pages jsonb,
    manifest jsonb,
    registry jsonb,
    is_compressed boolean DEFAULT false,
    compression_type varchar(20),
    total_size_bytes integer,
    compressed_size_bytes integer,
    component_count integer DEFAULT 0,
    created_at timestamptz DEFAULT now()
);
CREATE INDEX idx_plugin_snapshot_created_at ON plugin_version_snapshots USING btree (created_at DESC);
CREATE INDEX idx_plugin_snapshot_plugin ON plugin_version_snapshots USING btree (plugin_id);
CREATE INDEX idx_plugin_snapshot_version ON plugin_version_snapshots USING btree (version_id);

CREATE TABLE plugin_version_patches (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    version_id uuid NOT NULL,
    plugin_id uuid NOT NULL,
    component_type varchar(50) NOT NULL,
    component_id uuid,
    component_name varchar(255),
    patch_operations jsonb NOT NULL,
    change_type varchar(20),
    reverse_patch jsonb,
    operations_count integer DEFAULT 0,
    created_at timestamptz DEFAULT now()
);
CREATE INDEX idx_plugin_patch_change_type ON plugin_version_patches USING btree (change_type);
CREATE INDEX idx_plugin_patch_component ON plugin_version_patches USING btree (component_type, component_id);
CREATE INDEX idx_plugin_patch_plugin ON plugin_version_patches USING btree (plugin_id);
CREATE INDEX idx_plugin_patch_version ON plugin_version_patches USING btree (version_id);

CREATE TABLE plugin_version_tags (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    version_id uuid NOT NULL,
    plugin_id uuid NOT NULL,
    tag_name varchar(100) NOT NULL,
    tag_type varchar(50),
    description text,
    created_by uuid,
    created_by_name varchar(255),
    created_at timestamptz DEFAULT now()
);
CREATE INDEX idx_plugin_tag_name ON plugin_version_tags USING btree (tag_name);
CREATE INDEX idx_plugin_tag_plugin ON plugin_version_tags USING btree (plugin_id);
CREATE INDEX idx_plugin_tag_type ON plugin_version_tags USING btree (tag_type);
CREATE INDEX idx_plugin_tag_version ON plugin_version_tags USING btree (version_id);

CREATE TABLE plugin_version_comparisons (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id uuid NOT NULL,
    from_version_id uuid NOT NULL,
    to_version_id uuid NOT NULL,
    files_changed integer DEFAULT 0,
    lines_added integer DEFAULT 0,
    lines_deleted integer DEFAULT 0,
    components_added integer DEFAULT 0,
    components_modified integer DEFAULT 0,
    components_deleted integer DEFAULT 0,
    diff_summary jsonb,
    computed_at timestamptz DEFAULT now(),
    cache_ttl integer DEFAULT 3600
);
CREATE INDEX idx_plugin_comparison_computed ON plugin_version_comparisons USING btree (computed_at DESC);
CREATE INDEX idx_plugin_comparison_from ON plugin_version_comparisons USING btree (from_version_id);
CREATE INDEX idx_plugin_comparison_plugin ON plugin_version_comparisons USING btree (plugin_id);
CREATE INDEX idx_plugin_comparison_to ON plugin_version_comparisons USING btree (to_version_id);

-- G5 adds every foreign key at the end, as ALTER TABLE; the code tables (varchar plugin_id) have none.
ALTER TABLE plugin_registry ADD CONSTRAINT plugin_registry_creator_id_fkey
    FOREIGN KEY (creator_id) REFERENCES users(id);
ALTER TABLE plugin_configurations ADD CONSTRAINT plugin_configurations_last_configured_by_fkey
    FOREIGN KEY (last_configured_by) REFERENCES users(id) ON UPDATE CASCADE ON DELETE SET NULL;
ALTER TABLE plugin_configurations ADD CONSTRAINT plugin_configurations_store_id_fkey
    FOREIGN KEY (store_id) REFERENCES stores(id) ON UPDATE CASCADE ON DELETE SET NULL;
ALTER TABLE plugin_marketplace ADD CONSTRAINT plugin_marketplace_author_id_fkey
    FOREIGN KEY (author_id) REFERENCES users(id);
ALTER TABLE plugin_migrations ADD CONSTRAINT fk_plugin_migrations_plugin
    FOREIGN KEY (plugin_id) REFERENCES plugin_registry(id) ON DELETE CASCADE;
ALTER TABLE plugin_entities ADD CONSTRAINT fk_plugin_entities_plugin
    FOREIGN KEY (plugin_id) REFERENCES plugin_registry(id) ON DELETE CASCADE;
ALTER TABLE plugin_controllers ADD CONSTRAINT fk_plugin_controllers_plugin
    FOREIGN KEY (plugin_id) REFERENCES plugin_registry(id) ON DELETE CASCADE;
ALTER TABLE plugin_docs ADD CONSTRAINT fk_plugin_docs_plugin
    FOREIGN KEY (plugin_id) REFERENCES plugin_registry(id) ON DELETE CASCADE;
ALTER TABLE plugin_version_history ADD CONSTRAINT fk_plugin_version_plugin
    FOREIGN KEY (plugin_id) REFERENCES plugin_registry(id) ON DELETE CASCADE;
ALTER TABLE plugin_version_history ADD CONSTRAINT fk_plugin_version_parent
    FOREIGN KEY (parent_version_id) REFERENCES plugin_version_history(id) ON DELETE SET NULL;
ALTER TABLE plugin_version_snapshots ADD CONSTRAINT fk_plugin_snapshot_plugin
    FOREIGN KEY (plugin_id) REFERENCES plugin_registry(id) ON DELETE CASCADE;
ALTER TABLE plugin_version_snapshots ADD CONSTRAINT fk_plugin_snapshot_version
    FOREIGN KEY (version_id) REFERENCES plugin_version_history(id) ON DELETE CASCADE;
ALTER TABLE plugin_version_patches ADD CONSTRAINT fk_plugin_patch_plugin
    FOREIGN KEY (plugin_id) REFERENCES plugin_registry(id) ON DELETE CASCADE;
ALTER TABLE plugin_version_patches ADD CONSTRAINT fk_plugin_patch_version
    FOREIGN KEY (version_id) REFERENCES plugin_version_history(id) ON DELETE CASCADE;
ALTER TABLE plugin_version_tags ADD CONSTRAINT fk_plugin_tag_plugin
    FOREIGN KEY (plugin_id) REFERENCES plugin_registry(id) ON DELETE CASCADE;
ALTER TABLE plugin_version_tags ADD CONSTRAINT fk_plugin_tag_version
    FOREIGN KEY (version_id) REFERENCES plugin_version_history(id) ON DELETE CASCADE;
ALTER TABLE plugin_version_comparisons ADD CONSTRAINT fk_plugin_comparison_plugin
    FOREIGN KEY (plugin_id) REFERENCES plugin_registry(id) ON DELETE CASCADE;
ALTER TABLE plugin_version_comparisons ADD CONSTRAINT fk_plugin_comparison_from
    FOREIGN KEY (from_version_id) REFERENCES plugin_version_history(id) ON DELETE CASCADE;
ALTER TABLE plugin_version_comparisons ADD CONSTRAINT fk_plugin_comparison_to
    FOREIGN KEY (to_version_id) REFERENCES plugin_version_history(id) ON DELETE CASCADE;

-- The platform's triggers on its plugin tables (PLATFORM.md §1.6, §1.9), written from their described
-- behaviour: updated_at refreshed on UPDATE; a version's snapshot_distance filled in; one current version.
CREATE FUNCTION update_updated_at_column() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

CREATE TRIGGER update_plugin_data_updated_at BEFORE UPDATE ON plugin_data
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_plugin_events_updated_at BEFORE UPDATE ON plugin_events
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_plugin_hooks_updated_at BEFORE UPDATE ON plugin_hooks
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_plugin_scripts_updated_at BEFORE UPDATE ON plugin_scripts
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER plugin_admin_pages_updated_at BEFORE UPDATE ON plugin_admin_pages
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER plugin_admin_scripts_updated_at BEFORE UPDATE ON plugin_admin_scripts
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE FUNCTION auto_increment_snapshot_distance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.snapshot_distance IS NULL THEN
        NEW.snapshot_distance := (SELECT coalesce(max(snapshot_distance), 0) + 1
                                  FROM plugin_version_history WHERE plugin_id = NEW.plugin_id);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER trigger_auto_increment_snapshot_distance BEFORE INSERT ON plugin_version_history
    FOR EACH ROW EXECUTE FUNCTION auto_increment_snapshot_distance();

CREATE FUNCTION ensure_single_current_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.is_current THEN
        UPDATE plugin_version_history SET is_current = false
        WHERE plugin_id = NEW.plugin_id AND id <> NEW.id AND is_current;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER trigger_ensure_single_current_version BEFORE INSERT OR UPDATE ON plugin_version_history
    FOR EACH ROW EXECUTE FUNCTION ensure_single_current_version();
